"""The learner's own certificates over the API: the list, one certificate, its PDF and
its Open Badges 3.0 credential. Addressed by the public certificate number, never a
row id; another learner's number answers 404 as if it did not exist
(`certificates.issuing.own_certificate`, which the site's download views also ask)."""

from types import SimpleNamespace

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.serving import serve_protected

from .. import credentials, vc_jwt
from ..issuing import own_certificate
from ..models import Certificate
from ..tasks import ensure_pdf

NUMBER = OpenApiParameter(
    "number", OpenApiTypes.STR, OpenApiParameter.PATH, description="The certificate number, LCT-YYYY-XXXXXX."
)


class CertificateSerializer(serializers.ModelSerializer):
    course = serializers.IntegerField(source="course_id", allow_null=True, help_text=_("The course's id."))
    revoked = serializers.BooleanField(source="is_revoked")
    instructors = serializers.ListField(child=serializers.CharField())
    pdf_url = serializers.SerializerMethodField(help_text=_("The PDF; send the same Bearer token."))
    credential_url = serializers.SerializerMethodField(
        help_text=_(
            "The Open Badges 3.0 credential (VC-JWT, `application/vc+jwt`); send the same Bearer token."
        )
    )
    verification_url = serializers.URLField(help_text=_("The public page anyone can check it at."))

    class Meta:
        model = Certificate
        fields = [
            "number",
            "course",
            "course_title",
            "learner_name",
            "instructors",
            "issued_at",
            "revoked",
            "revoked_at",
            "pdf_url",
            "credential_url",
            "verification_url",
        ]

    def _url(self, name: str, certificate: Certificate) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[certificate.number]))

    def get_pdf_url(self, certificate) -> str:
        return self._url("api:my_certificate_pdf", certificate)

    def get_credential_url(self, certificate) -> str:
        return self._url("api:my_certificate_credential", certificate)


def _private(response):
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def _mine(request, number: str) -> Certificate:
    """Only the caller's own here, even for content staff (they use the admin)."""
    certificate = own_certificate(request.user, number)
    if certificate is None or certificate.user_id != request.user.pk:
        raise Http404("No such certificate.")
    return certificate


class MyCertificatesView(generics.ListAPIView):
    serializer_class = CertificateSerializer

    @extend_schema(operation_id="my_certificates", summary="My certificates", tags=["certificates"])
    def get(self, request, *args, **kwargs):
        return _private(super().get(request, *args, **kwargs))

    def get_queryset(self):
        return Certificate.objects.filter(user=self.request.user).order_by("-issued_at", "-pk")


class MyCertificateView(APIView):
    serializer_class = CertificateSerializer

    @extend_schema(
        operation_id="my_certificate",
        summary="One of my certificates",
        parameters=[NUMBER],
        tags=["certificates"],
    )
    def get(self, request, number: str):
        certificate = _mine(request, number)
        return _private(Response(CertificateSerializer(certificate, context={"request": request}).data))


class MyCertificatePdfView(APIView):
    @extend_schema(
        operation_id="my_certificate_pdf",
        summary="A certificate's PDF",
        parameters=[NUMBER],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=_("The PDF."))},
        tags=["certificates"],
    )
    def get(self, request, number: str):
        certificate = ensure_pdf(_mine(request, number))
        document = SimpleNamespace(
            file=certificate.pdf, content_type="application/pdf", filename=certificate.pdf_filename
        )
        return _private(serve_protected(request._request, document, certificate.pdf_filename))


class MyCertificateCredentialView(APIView):
    @extend_schema(
        operation_id="my_certificate_credential",
        summary="A certificate's Open Badges credential",
        parameters=[NUMBER],
        responses={
            (200, vc_jwt.MEDIA_TYPE): OpenApiResponse(
                OpenApiTypes.STR, description=_("The signed Open Badges 3.0 credential (VC-JWT).")
            )
        },
        tags=["certificates"],
    )
    def get(self, request, number: str):
        certificate = _mine(request, number)
        response = HttpResponse(credentials.signed_credential(certificate), content_type=vc_jwt.MEDIA_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{certificate.number}.jwt"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return _private(response)
