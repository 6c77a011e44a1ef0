"""Ebooks: a page per book with its cover and a privately stored document behind it,
and the log of who downloaded which book."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.models import IndexPage
from home.panels import tabs
from memberships.gating import mark_private


class EbookIndexPage(IndexPage):
    subpage_types = ["learning.EbookPage"]
    template = "pages/ebook_index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ebooks"] = (
            EbookPage.objects.child_of(self)
            .live()
            .public()
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
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(features=["bold", "italic", "link", "ul", "ol"])
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    page_count = models.PositiveIntegerField(default=0)
    required_tier = models.ForeignKey(
        "memberships.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        default=_default_ebook_tier,
        help_text=_("Lowest tier that may download. Defaults to the first tier with ebooks."),
    )
    course = models.ForeignKey(
        "learning.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ebooks",
        help_text=_("Attached to this course: learners who bought the course may download it too."),
    )
    # Counted by record_download; kept out of the panels so editors never overwrite it.
    download_count = models.PositiveIntegerField(default=0, editable=False)

    parent_page_types = ["learning.EbookIndexPage"]
    subpage_types = []
    template = "pages/ebook_page.html"
    exclude_fields_in_copy = ["download_count"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("author_name"),
        FieldPanel("cover_image"),
        FieldPanel("description"),
        FieldPanel("document"),
        FieldPanel("page_count"),
    ]
    edit_handler = tabs(content_panels, access=[FieldPanel("required_tier"), FieldPanel("course")])

    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("author_name"),
    ]

    @property
    def file_size(self) -> int | None:
        return self.document.get_file_size() if self.document_id else None

    def serve(self, request, *args, **kwargs):
        # The download area depends on who is looking, so no shared cache may keep a copy.
        mark_private(request)
        return super().serve(request, *args, **kwargs)

    def with_content_json(self, content):
        """Publishing or reverting to a revision keeps today's count, not the revision's."""
        page = super().with_content_json(content)
        page.download_count = self.download_count
        return page

    def record_download(self, user, ip: str | None, user_agent: str) -> "EbookDownload":
        """Log one download and count it.

        The count is an UPDATE with F(), not page.save(): simultaneous downloads all
        count, and an editor's concurrent publish is never written over.
        """
        download = EbookDownload.objects.create(
            user=user, ebook=self, ip=ip or None, user_agent=user_agent[:400]
        )
        EbookPage.objects.filter(pk=self.pk).update(download_count=F("download_count") + 1)
        return download


class EbookDownload(models.Model):
    """One ebook download: who, which book, from where, when (the downloads log)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="ebook_downloads"
    )
    ebook = models.ForeignKey(EbookPage, on_delete=models.CASCADE, related_name="downloads")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ebook", "-created_at"], name="ebook_download_ebook_idx")]
        verbose_name = _("ebook download")
        verbose_name_plural = _("ebook downloads")

    def __str__(self) -> str:
        return f"{self.ebook} ← {self.user} at {self.created_at:%Y-%m-%d %H:%M}"
