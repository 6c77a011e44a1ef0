"""Course pages: the catalog, a course, its modules and their lessons.

The tree is CourseIndexPage → CoursePage → ModulePage → LessonPage; order within a
parent is the page tree's own order, so editors reorder by dragging in the admin.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from home.blocks import BodyBlock, DownloadBlock
from home.models import IndexPage
from home.panels import tabs
from learning.forms import LessonPageForm
from quizzes.blocks import LessonBodyBlock

# The lesson fields the outline, navigation and policy need (kept light: no body).
OUTLINE_LESSON_FIELDS = (
    "id",
    "title",
    "slug",
    "path",
    "depth",
    "url_path",
    "duration_minutes",
    "is_preview",
    "required_tier_id",
    "video_id",
    "live",
    "locale_id",
)


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


LANGUAGES = [("en", "English"), ("vi", "Tiếng Việt")]


@register_snippet
class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class CourseIndexPage(IndexPage):
    """The catalog: every live course below it, filtered and paginated."""

    subpage_types = ["learning.CoursePage"]
    template = "pages/course_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from learning.catalog import catalog_page

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_page(self, request.GET))
        return context


class CoursePageTag(TaggedItemBase):
    content_object = ParentalKey("learning.CoursePage", on_delete=models.CASCADE, related_name="tagged_items")


class CoursePage(Page):
    summary = models.TextField(help_text=_("One or two sentences for cards, search and teasers."))
    body = StreamField(BodyBlock(), blank=True)
    cover_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.BEGINNER)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="courses"
    )
    tags = ClusterTaggableManager(through=CoursePageTag, blank=True)
    language = models.CharField(max_length=8, choices=LANGUAGES, default="en")
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taught_courses",
        limit_choices_to={"is_staff": True},
    )
    objectives = StreamField(
        [("objective", blocks.CharBlock(label=_("Objective")))],
        blank=True,
        help_text=_("What a learner can do after the course."),
    )
    requirements = StreamField(
        [("requirement", blocks.CharBlock(label=_("Requirement")))],
        blank=True,
    )
    required_tier = models.ForeignKey(
        "memberships.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Lowest membership tier that opens this course. Empty means free."),
    )
    is_sequential = models.BooleanField(
        default=False, help_text=_("Learners must finish each lesson before the next opens.")
    )
    price = models.PositiveIntegerField(
        null=True,
        blank=True,
        verbose_name=_("one-off price (VND)"),
        help_text=_(
            "Whole đồng. Learners below the tier may buy this course for life. Empty: not sold on its own."
        ),
    )
    purchase_includes_live = models.BooleanField(
        default=False,
        verbose_name=_("buyers join live sessions"),
        help_text=_("Learners who bought this course may join its live sessions too."),
    )

    parent_page_types = ["learning.CourseIndexPage"]
    subpage_types = ["learning.ModulePage"]
    template = "pages/course_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("objectives"), FieldPanel("requirements")], heading=_("Outcomes")),
    ]
    details_panels = [
        FieldPanel("category"),
        FieldPanel("level"),
        FieldPanel("language"),
        FieldPanel("tags"),
        FieldPanel("instructors"),
    ]
    access_panels = [
        FieldPanel("required_tier"),
        FieldPanel("is_sequential"),
        MultiFieldPanel(
            [FieldPanel("price"), FieldPanel("purchase_includes_live")], heading=_("Sold on its own")
        ),
    ]
    edit_handler = tabs(content_panels, details=details_panels, access=access_panels)

    # Single-course prices are whole đồng: the business sells in Vietnam.
    currency = "VND"

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("level"),
        index.FilterField("category"),
        index.FilterField("required_tier"),
        index.RelatedFields("category", [index.SearchField("name")]),
    ]

    @property
    def is_free(self) -> bool:
        return self.required_tier_id is None or self.required_tier.is_free

    @property
    def is_for_sale(self) -> bool:
        """Sold on its own: it has a one-off price and is not free anyway."""
        return bool(self.price) and not self.is_free

    # What the entitlement policy reads (memberships.policy.Gated / GatedCourse).
    @property
    def access_tier(self):
        return self.required_tier

    @property
    def access_course(self) -> "CoursePage":
        return self

    @cached_property
    def ordered_lessons(self) -> list["LessonPage"]:
        """Live lessons in outline (tree) order, light fields only: one query, cached on
        this object so the outline, the lesson navigation and the policy share it."""
        return list(
            LessonPage.objects.descendant_of(self).live().order_by("path").only(*OUTLINE_LESSON_FIELDS)
        )

    def completed_lesson_ids(self, user) -> set[int]:
        """The course's lessons `user` has completed (one query)."""
        from .progress import LessonProgress

        if not user.is_authenticated:
            return set()
        return set(
            LessonProgress.objects.filter(
                user=user,
                completed_at__isnull=False,
                lesson__path__startswith=self.path,
                lesson__depth__gt=self.depth,
            ).values_list("lesson_id", flat=True)
        )

    def get_context(self, request, *args, **kwargs):
        from learning.catalog import course_outline
        from learning.progress import course_progress_for

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline(self)
        context.update(course_progress_for(request, self))
        return context


class ModulePage(Page):
    summary = models.TextField(blank=True)

    parent_page_types = ["learning.CoursePage"]
    subpage_types = ["learning.LessonPage"]
    template = "pages/module_page.html"

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]

    @cached_property
    def course(self) -> CoursePage:
        return CoursePage.objects.ancestor_of(self).select_related("required_tier").first()

    # What the entitlement policy reads (memberships.policy.Gated).
    @property
    def access_tier(self):
        return self.course.required_tier if self.course else None

    @property
    def access_course(self) -> CoursePage | None:
        return self.course

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.course
        context["lessons"] = LessonPage.objects.child_of(self).live().order_by("path")
        return context


class LessonPage(Page):
    summary = models.TextField(blank=True)
    body = StreamField(LessonBodyBlock(), blank=True)
    video = models.ForeignKey(
        "media_pipeline.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons"
    )
    attachments = StreamField([("attachment", DownloadBlock())], blank=True)
    is_preview = models.BooleanField(
        default=False, help_text=_("Open to everyone, even visitors, as a free sample.")
    )
    duration_minutes = models.PositiveIntegerField(default=0, help_text=_("Length shown in the outline."))
    required_tier = models.ForeignKey(
        "memberships.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Override the course's tier for this lesson. Empty means as the course."),
    )

    parent_page_types = ["learning.ModulePage"]
    subpage_types = []
    template = "pages/lesson_page.html"
    base_form_class = LessonPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("video"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    access_panels = [FieldPanel("is_preview"), FieldPanel("required_tier")]
    edit_handler = tabs(content_panels, access=access_panels)

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    @cached_property
    def course(self) -> CoursePage:
        return CoursePage.objects.ancestor_of(self).select_related("required_tier").first()

    @cached_property
    def module(self) -> ModulePage:
        return ModulePage.objects.ancestor_of(self).first()

    # What the entitlement policy reads (memberships.policy.Gated).
    access_is_lesson = True

    @property
    def access_tier(self):
        return self.required_tier or (self.course.required_tier if self.course else None)

    @property
    def access_course(self) -> CoursePage | None:
        return self.course

    def get_context(self, request, *args, **kwargs):
        from learning.catalog import lesson_neighbours
        from learning.progress import lesson_page_context

        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.course
        context["module"] = self.module
        context.update(lesson_neighbours(self))
        context.update(lesson_page_context(request, self))
        return context
