"""Public certificate verification over the API: the same lookup, facts and rate limit
as the verification page (`certificates.verification`); one budget for both."""

from django.utils.translation import gettext_lazy as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .. import verification
from .verification_serializers import VerifiedCertificateSerializer


class VerifyCertificate(generics.GenericAPIView):
    """Anyone may check a certificate number: who, what, when, and whether it was revoked."""

    permission_classes = [AllowAny]
    serializer_class = VerifiedCertificateSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "number",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description=_("As printed, e.g. LCT-2026-7KQ3XW (case and spaces do not matter)."),
            )
        ],
        description=(
            "A revoked certificate answers 200 with `status: revoked`. Each lookup counts "
            "against the caller's address, together with the verification page's lookups."
        ),
    )
    def get(self, request, number: str):
        if verification.over_limit(request._request):
            raise Throttled(
                wait=verification.window_seconds(),
                detail=str(_("Too many lookups from your network. Wait a minute, then try again.")),
            )
        certificate = verification.find(number)
        if certificate is None:
            raise NotFound(_("No certificate has this number."))
        response = Response(self.get_serializer(certificate).data)
        response["Cache-Control"] = "no-cache, max-age=0"  # a revocation must show at once
        return response
