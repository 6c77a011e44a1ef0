"""Ebooks: a page per book with its cover and a Wagtail Document behind it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class EbookIndexPage(Page):
    introduction = models.TextField(blank=True)

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = ["learning.EbookPage"]
    template = "pages/ebook_index_page.html"

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ebooks"] = (
            EbookPage.objects.child_of(self).live().public()
            .select_related("cover_image", "required_tier", "document")
            .order_by("title")
        )
        return context


def _default_ebook_tier():
    from memberships.models import Tier

    tier = Tier.objects.filter(includes_ebooks=True).order_by("rank").first()
    return tier.pk if tier else None


class EbookPage(Page):
    author_name = models.CharField(max_length=150, blank=True)
    cover_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    description = RichTextField(features=["bold", "italic", "link", "ul", "ol"])
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, on_delete=models.PROTECT, related_name="+",
    )
    page_count = models.PositiveIntegerField(default=0)
    required_tier = models.ForeignKey(
        "memberships.Tier", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        default=_default_ebook_tier,
        help_text=_("Lowest tier that may download. Defaults to the first tier with ebooks."),
    )

    parent_page_types = ["learning.EbookIndexPage"]
    subpage_types = []
    template = "pages/ebook_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("author_name"),
        FieldPanel("cover_image"),
        FieldPanel("description"),
        FieldPanel("document"),
        FieldPanel("page_count"),
    ]
    edit_handler = TabbedInterface([
        ObjectList(content_panels, heading=_("Content")),
        ObjectList([FieldPanel("required_tier")], heading=_("Access")),
        ObjectList(Page.promote_panels, heading=_("Promote")),
        ObjectList(Page.settings_panels, heading=_("Settings")),
    ])

    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("author_name"),
    ]

    @property
    def file_size(self) -> int | None:
        return self.document.file_size if self.document_id else None
