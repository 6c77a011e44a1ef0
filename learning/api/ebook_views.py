"""Ebooks over the API: the list, and a short-lived signed download link when the one
policy (`memberships.policy.can_download`) allows. The link leads to the site's own
download view, which checks it and the policy again, logs and serves the file."""

from django.shortcuts import get_object_or_404

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.schema import error_responses
from memberships import policy
from memberships.api.refusals import refusal

from ..ebook_links import signed_download_path
from ..models import EbookPage
from .ebook_serializers import DownloadLinkSerializer, EbookSerializer


def _ebooks():
    return (
        EbookPage.objects.live()
        .public()
        .select_related("cover_image", "required_tier")
        .order_by("title", "pk")
    )


class EbookList(generics.ListAPIView):
    """Every published ebook, by title, with whether the caller may download it."""

    permission_classes = [AllowAny]
    serializer_class = EbookSerializer

    def get_queryset(self):
        return _ebooks()


class EbookDownloadLink(generics.GenericAPIView):
    """A signed link to the ebook's file, valid for a few minutes, for the caller only."""

    serializer_class = DownloadLinkSerializer

    @extend_schema(
        request=None,
        responses={200: DownloadLinkSerializer, **error_responses(403)},
        description=(
            "403 `tier_too_low` / `not_in_tier`: the caller's plan does not include the book "
            "(`details.upgrade_tiers` names the plans that do). The link stops working after "
            "`expires_at`, or as soon as the plan no longer includes the book."
        ),
    )
    def post(self, request, ebook_id: int):
        ebook = get_object_or_404(_ebooks().filter(document__isnull=False), pk=ebook_id)
        decision = policy.can_download(request.user, ebook)
        if not decision:
            raise refusal(decision)
        path, expires_at = signed_download_path(ebook, request.user)
        body = {"url": request.build_absolute_uri(path), "expires_at": expires_at}
        return Response(self.get_serializer(body).data)
