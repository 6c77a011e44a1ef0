"""What the catalog API reads and writes. Output serializers only shape what
`learning.catalog`, `learning.progress` and `memberships.policy` already decided; no
access rule lives here."""

from django.utils.translation import gettext_lazy as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from learning.catalog import CARD_RENDITION, DEFAULT_ORDERING, FREE, ORDERINGS
from learning.models import Category, EnrollmentStatus, Level
from learning.models.courses import LANGUAGES
from memberships.models import BillingPeriod, Tier
from memberships.policy import Reason

# Why a lesson or course is closed to the caller: the refusing reasons of a policy Decision.
REFUSAL_REASONS = [Reason.LOGIN_REQUIRED, Reason.TIER_TOO_LOW, Reason.NOT_IN_TIER, Reason.LOCKED]
REFUSAL_CHOICES = [(reason.value, reason.value) for reason in REFUSAL_REASONS]
ACCESS_CHOICES = [(reason.value, reason.value) for reason in Reason]


# ---------------------------------------------------------------------------- query


class CourseListQuerySerializer(serializers.Serializer):
    """The list's filters. Unknown categories, tiers, levels, languages and orderings are
    refused with 422, never silently ignored."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Words to find in a course's title or summary (punctuation is ignored)."),
    )
    category = serializers.SlugField(required=False, help_text=_("A category's slug."))
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    tag = serializers.SlugField(required=False, max_length=100, help_text=_("A tag's slug."))
    instructor = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Words of an instructor's name: courses one of whose instructors has them all."),
    )
    tier = serializers.SlugField(
        required=False,
        help_text=_("A tier's slug: courses that ask for exactly this tier; `free` for free courses."),
    )
    free = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: free courses only; false: paid only."),
    )
    ordering = serializers.ChoiceField(
        choices=list(ORDERINGS), default=DEFAULT_ORDERING, help_text=_("Sort order (default newest first).")
    )

    def validate_category(self, value):
        if not Category.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("No such category."), code="unknown_category")
        return value

    def validate_tier(self, value):
        if value != FREE and not Tier.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("No such tier."), code="unknown_tier")
        return value


# ---------------------------------------------------------------------------- parts


class TierSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text=_("Per billing period."))
    currency = serializers.CharField()
    billing_period = serializers.ChoiceField(choices=BillingPeriod.choices)
    is_free = serializers.BooleanField()


class CategorySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class TagSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class InstructorSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")


class ImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField()


class PageRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class BlockSerializer(serializers.Serializer):
    """One StreamField block as its `get_api_representation` gives it."""

    type = serializers.CharField(help_text=_("The block's name: paragraph, image, code, callout, quiz …"))
    id = serializers.CharField(allow_null=True)
    value = serializers.JSONField(
        help_text=_(
            "The block's content: rich text as HTML; a quiz's settings and question count, never "
            "its questions or answers."
        )
    )


def _cover(course, request) -> dict | None:
    image = course.cover_image
    if image is None:
        return None
    rendition = image.get_rendition(CARD_RENDITION)  # prefetched by the catalog query
    return {
        "url": request.build_absolute_uri(rendition.url) if request else rendition.url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": getattr(image, "alt_text", "") or image.title,
    }


# ---------------------------------------------------------------------------- courses


class CourseCardSerializer(serializers.Serializer):
    """A course in the list: what its card on the catalog page shows."""

    id = serializers.IntegerField(help_text=_("The course's stable id (its page id); use it in URLs."))
    slug = serializers.SlugField(help_text=_("For display and links; may change when an editor renames."))
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.SerializerMethodField(help_text=_("The course's page on the site."))
    level = serializers.ChoiceField(choices=Level.choices)
    language = serializers.ChoiceField(choices=LANGUAGES)
    category = CategorySerializer(allow_null=True)
    tags = TagSerializer(many=True, source="tags.all")
    instructors = InstructorSerializer(many=True, source="instructors.all")
    required_tier = TierSerializer(allow_null=True, help_text=_("Null when the course is free."))
    is_free = serializers.BooleanField()
    is_sequential = serializers.BooleanField(help_text=_("Lessons open in order."))
    lesson_count = serializers.IntegerField()
    duration_minutes = serializers.IntegerField()
    cover_image = serializers.SerializerMethodField()
    first_published_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, course) -> str:
        return page_address(course, self.context.get("request"))

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_cover_image(self, course):
        return _cover(course, self.context.get("request"))


class LessonOutlineSerializer(serializers.Serializer):
    """A lesson in the outline, with the caller's standing on it."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    is_preview = serializers.BooleanField(help_text=_("Open to everyone as a free sample."))
    has_video = serializers.BooleanField()
    completed = serializers.BooleanField(help_text=_("The caller completed it (false for visitors)."))
    locked = serializers.BooleanField(help_text=_("The caller may not open it now."))
    lock_reason = serializers.ChoiceField(
        choices=REFUSAL_CHOICES,
        allow_null=True,
        help_text=_(
            "Why it is locked: `login_required`, `tier_too_low` (a higher tier opens it), "
            "`not_in_tier`, `locked` (a sequential course: finish `finish_first` first). Null when open."
        ),
    )
    required_tier = serializers.SlugField(
        allow_null=True, help_text=_("The tier that opens it; null when free.")
    )
    finish_first = PageRefSerializer(
        allow_null=True, help_text=_("For `locked`: the lesson to finish first.")
    )


class ModuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    lessons = LessonOutlineSerializer(many=True)


class AccessSerializer(serializers.Serializer):
    """The policy's answer for the caller on this page."""

    allowed = serializers.BooleanField()
    reason = serializers.ChoiceField(
        choices=ACCESS_CHOICES,
        help_text=_(
            "Why: open ones are `preview`, `free`, `member`, `purchased` (the course was bought), "
            "`staff`, `instructor`; refusals are `login_required`, `tier_too_low`, `not_in_tier`, `locked`."
        ),
    )
    required_tier = TierSerializer(allow_null=True)
    upgrade_tiers = TierSerializer(many=True, help_text=_("Tiers that would open it, cheapest first."))


class CourseProgressSerializer(serializers.Serializer):
    enrolled = serializers.BooleanField()
    enrollment_status = serializers.ChoiceField(choices=EnrollmentStatus.choices, allow_null=True)
    can_enroll = serializers.BooleanField()
    percent = serializers.IntegerField(help_text=_("Share of the course's lessons completed, 0–100."))
    completed_lessons = serializers.IntegerField()
    continue_lesson = PageRefSerializer(allow_null=True, help_text=_("The first lesson not completed yet."))


class CourseOutlineSerializer(serializers.Serializer):
    """The course page's own content and the caller's standing, beside its card."""

    objectives = serializers.ListField(child=serializers.CharField())
    requirements = serializers.ListField(child=serializers.CharField())
    body = BlockSerializer(
        many=True,
        allow_null=True,
        help_text=_("The course description; null when the policy does not open the course to the caller."),
    )
    access = AccessSerializer()
    modules = ModuleSerializer(many=True)
    progress = CourseProgressSerializer(allow_null=True, help_text=_("Null for visitors."))


class CourseDetailSerializer(CourseCardSerializer, CourseOutlineSerializer):
    """A course: its card, its content (body only when the policy opens it), the outline
    with each lesson's lock for the caller, and the caller's progress."""


# ---------------------------------------------------------------------------- lessons


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()


class VideoSummarySerializer(serializers.Serializer):
    """That the lesson has a video, and how long it is. Playback (playlist, key, heartbeat
    token) starts at its own route; nothing here plays anything."""

    duration_seconds = serializers.FloatField()
    ready = serializers.BooleanField(help_text=_("Packaged and playable."))


class LessonProgressSerializer(serializers.Serializer):
    completed = serializers.BooleanField()
    percent = serializers.IntegerField(help_text=_("Share of the video watched (100 once completed)."))
    resume_at = serializers.FloatField(help_text=_("Second the player continues at."))
    can_mark_done = serializers.BooleanField(help_text=_("A lesson without a video or quiz to pass."))
    has_required_quiz = serializers.BooleanField()


class LessonDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The lesson's stable id (its page id)."))
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.URLField(help_text=_("The lesson's page on the site."))
    duration_minutes = serializers.IntegerField()
    is_preview = serializers.BooleanField()
    course = CourseRefSerializer()
    module = PageRefSerializer()
    position = serializers.IntegerField(help_text=_("1-based place in the course."))
    lesson_count = serializers.IntegerField()
    previous_lesson = PageRefSerializer(allow_null=True)
    next_lesson = PageRefSerializer(allow_null=True)
    video = VideoSummarySerializer(allow_null=True)
    body = BlockSerializer(many=True)
    attachments = BlockSerializer(many=True)
    access = AccessSerializer()
    progress = LessonProgressSerializer(allow_null=True, help_text=_("Null for visitors."))


class TeaserSerializer(serializers.Serializer):
    """What a refused caller sees instead of a lesson's body, in `error.details`."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    course = CourseRefSerializer()
    reason = serializers.ChoiceField(choices=REFUSAL_CHOICES)
    required_tier = TierSerializer(allow_null=True)
    upgrade_tiers = TierSerializer(many=True, help_text=_("Tiers that open it, cheapest first, with prices."))
    finish_first = PageRefSerializer(
        allow_null=True, help_text=_("For `locked`: the lesson to finish first.")
    )


def page_address(page, request) -> str:
    """The page's public address as the caller reached this site (scheme, host and port
    of the request), not the Site record's hostname, which in development is often
    `localhost` on port 80."""
    http_request = getattr(request, "_request", request)
    if http_request is None:
        return page.get_full_url()
    return http_request.build_absolute_uri(page.get_url(http_request))
