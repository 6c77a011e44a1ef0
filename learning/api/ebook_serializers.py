"""What the ebooks API says about a book, and the download link it hands out."""

from django.utils.translation import gettext_lazy as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from memberships.api.serializers import TierRefSerializer
from memberships.policy import can_download

from ..models import EbookPage


class EbookSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_name")
    description = serializers.CharField(help_text=_("HTML."))
    required_tier = TierRefSerializer(allow_null=True, help_text=_("The lowest tier that may download it."))
    cover_url = serializers.SerializerMethodField()
    can_download = serializers.SerializerMethodField(
        help_text=_("Whether the caller may ask for a download link now.")
    )

    class Meta:
        model = EbookPage
        fields = [
            "id",
            "title",
            "slug",
            "author",
            "description",
            "page_count",
            "cover_url",
            "required_tier",
            "can_download",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_cover_url(self, ebook) -> str | None:
        if ebook.cover_image is None:
            return None
        return self.context["request"].build_absolute_uri(ebook.cover_image.file.url)

    def get_can_download(self, ebook) -> bool:
        return bool(can_download(self.context["request"].user, ebook))


class DownloadLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text=_("GET it to download the file; no token or cookie needed."))
    expires_at = serializers.DateTimeField()
