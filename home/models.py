"""The site's own pages: home, standard pages, the blog; plus the site-wide settings."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import BodyBlock
from .panels import tabs

BLOG_PAGE_SIZE = 9
# Hook name: functions (home_page, request) -> dict added to the home page's context.
HOME_PAGE_CONTEXT_HOOK = "lectern_home_page_context"


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    tagline = models.CharField(max_length=200, default="Learn from people who do the work.")
    footer_text = models.CharField(max_length=255, blank=True, default="Lectern — online courses")
    contact_email = models.EmailField(blank=True)
    # The seller printed on every receipt (the business that takes the money).
    seller_name = models.CharField(
        _("seller's legal name"), max_length=200, blank=True, help_text=_("Printed on receipts.")
    )
    seller_address = models.CharField(_("seller's address"), max_length=300, blank=True)
    seller_tax_code = models.CharField(_("seller's tax code (MST)"), max_length=20, blank=True)


class HomePage(Page):
    hero_title = models.CharField(max_length=120, default="Learn skills that last")
    hero_text = models.TextField(blank=True)
    hero_cta_label = models.CharField(max_length=40, default="Browse courses")
    hero_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), blank=True)

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "home.BlogIndexPage",
        "learning.CourseIndexPage",
        "learning.EbookIndexPage",
    ]
    template = "pages/home_page.html"

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_cta_label"),
                FieldPanel("hero_image"),
            ],
            heading="Hero",
        ),
        InlinePanel("featured_courses", heading="Featured courses", label="Course", max_num=6),
        FieldPanel("body"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("hero_text"), index.SearchField("body")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Sections below home (the catalog's featured courses) add their own context
        # through this hook, so home never imports them.
        for add_context in hooks.get_hooks(HOME_PAGE_CONTEXT_HOOK):
            context.update(add_context(self, request))
        context["latest_posts"] = (
            BlogPage.objects.live().public().select_related("cover_image", "author").order_by("-date")[:3]
        )
        return context


class HomePageFeaturedCourse(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_courses")
    course = models.ForeignKey("learning.CoursePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("course")]


class StandardPage(Page):
    introduction = models.TextField(blank=True)
    body = StreamField(BodyBlock(), blank=True)

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
    template = "pages/standard_page.html"

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("introduction"), index.SearchField("body")]


class IndexPage(Page):
    """A section's single landing page under home (catalog, blog, ebooks): an
    introduction, then the section's own listing from `get_context`."""

    introduction = models.TextField(blank=True)

    max_count = 1
    parent_page_types = ["home.HomePage"]

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    class Meta:
        abstract = True


class BlogIndexPage(IndexPage):
    subpage_types = ["home.BlogPage"]
    template = "pages/blog_index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        posts = (
            BlogPage.objects.live()
            .public()
            .child_of(self)
            .select_related("cover_image", "author", "required_tier")
            .prefetch_related("tags")
            .order_by("-date", "-pk")
        )
        tag = request.GET.get("tag", "").strip()
        if tag:
            posts = posts.filter(tags__slug=tag)
        context["tag"] = tag
        context["posts"] = Paginator(posts, BLOG_PAGE_SIZE).get_page(request.GET.get("page"))
        return context


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("home.BlogPage", on_delete=models.CASCADE, related_name="tagged_items")


class BlogPage(Page):
    date = models.DateField(default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(blank=True, help_text="Shown in lists and to readers without access.")
    cover_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)
    body = StreamField(BodyBlock())
    required_tier = models.ForeignKey(
        "memberships.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Members-only post: readers below this tier see the summary as a teaser.",
    )

    parent_page_types = ["home.BlogIndexPage"]
    subpage_types = []
    template = "pages/blog_page.html"

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("author"), FieldPanel("tags")], heading="Post"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
    ]
    access_panels = [FieldPanel("required_tier")]
    edit_handler = tabs(content_panels, access=access_panels)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    @property
    def access_tier(self):
        """What the entitlement policy reads (memberships.policy.Gated)."""
        return self.required_tier

    access_course = None

    class Meta:
        ordering = ["-date"]
