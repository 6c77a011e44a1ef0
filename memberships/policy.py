"""The one entitlement policy: may this user open, play, download, join or certify this?

Pages, the ebook download view, search results, and (later) the video key endpoint,
live-session joins, certificates and the API all ask here; nothing else decides access.
Each answer is a `Decision` that also says *why not*, so a refusal can render a useful
teaser ("Gold members get this course") instead of a bare error.

Rules:
1. A preview lesson and free content (no tier, or a free tier) are open to everyone.
2. Visitors who are not logged in get nothing gated.
3. A learner whose current tier ranks at least as high as the tier the content asks
   for, and includes the feature (ebooks, live sessions, certificates), gets in.
4. Content staff (superusers, and groups holding `memberships.open_all_content`, which
   the Editors and Moderators groups get) open everything.
5. A course's own instructors open everything in that course.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import cached_property

from .models import Subscription, Tier


class Reason(StrEnum):
    PREVIEW = "preview"
    FREE = "free"
    STAFF = "staff"
    INSTRUCTOR = "instructor"
    MEMBER = "member"
    LOGIN_REQUIRED = "login_required"
    TIER_TOO_LOW = "tier_too_low"
    NOT_IN_TIER = "not_in_tier"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason
    required_tier: Tier | None = None
    user_tier: Tier | None = None

    def __bool__(self) -> bool:
        return self.allowed

    @cached_property
    def upgrade_tiers(self) -> list[Tier]:
        """The tiers that would open this, cheapest first (for the teaser's call to action)."""
        if self.allowed or self.required_tier is None:
            return []
        return [t for t in all_tiers() if t.rank >= self.required_tier.rank]


def all_tiers() -> list[Tier]:
    return list(Tier.objects.order_by("rank"))


def free_tier() -> Tier | None:
    return Tier.objects.order_by("rank").first()


def tier_of(user) -> Tier | None:
    """The user's tier now: their best current subscription, else the free tier.

    Cached on the user object, which lives for one request, so a page that asks the
    policy several times costs one query.
    """
    cached = getattr(user, "_lectern_tier", None)
    if cached is not None:
        return cached
    tier = None
    if user.is_authenticated:
        best = (
            Subscription.objects.current()
            .filter(user=user)
            .select_related("tier")
            .order_by("-tier__rank")
            .first()
        )
        tier = best.tier if best else None
    tier = tier or free_tier()
    if user.is_authenticated:
        user._lectern_tier = tier
    return tier


def forget_tier(user) -> None:
    """Drop the per-request cache after a subscription change in the same request."""
    user.__dict__.pop("_lectern_tier", None)


def is_content_staff(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("memberships.open_all_content"))
    )


def teaches(user, course) -> bool:
    if course is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_lectern_teaches", {})
    if course.pk not in cache:
        # Through the join table: the page's own relation may be an in-memory cluster.
        through = type(course).instructors.through
        cache[course.pk] = through.objects.filter(coursepage_id=course.pk, user_id=user.pk).exists()
    return cache[course.pk]


def _course_of(page):
    from learning.models import CoursePage

    if isinstance(page, CoursePage):
        return page
    return getattr(page, "course", None)


def required_tier_for(page) -> Tier | None:
    """The tier a page's body asks for; None when it is open to all."""
    from home.models import BlogPage
    from learning.models import CoursePage, LessonPage, ModulePage

    if isinstance(page, LessonPage):
        return page.required_tier or (page.course.required_tier if page.course else None)
    if isinstance(page, ModulePage):
        return page.course.required_tier if page.course else None
    if isinstance(page, (CoursePage, BlogPage)):
        return page.required_tier
    return None


def _is_open(tier: Tier | None) -> bool:
    return tier is None or tier.is_free


def _check(user, required: Tier | None, *, course=None, feature: str | None = None) -> Decision:
    if not user.is_authenticated:
        return Decision(False, Reason.LOGIN_REQUIRED, required, free_tier())
    # The member check comes first: it is the common case and costs one cached query,
    # while staff and instructor checks load permissions and the course's instructors.
    tier = tier_of(user)
    has_feature = not feature or getattr(tier, feature, False)
    if has_feature and tier is not None and tier.includes(required):
        return Decision(True, Reason.MEMBER, required, tier)
    if is_content_staff(user):
        return Decision(True, Reason.STAFF, required)
    if teaches(user, course):
        return Decision(True, Reason.INSTRUCTOR, required)
    return Decision(False, Reason.TIER_TOO_LOW if has_feature else Reason.NOT_IN_TIER, required, tier)


def can_view(user, page) -> Decision:
    """May `user` read the body of `page` (course, module, lesson, blog post)?"""
    if getattr(page, "is_preview", False):
        return Decision(True, Reason.PREVIEW)
    required = required_tier_for(page)
    if _is_open(required):
        return Decision(True, Reason.FREE, required)
    return _check(user, required, course=_course_of(page))


def can_play(user, lesson) -> Decision:
    """May `user` stream `lesson`'s video (playlist and key)?"""
    return can_view(user, lesson)


def can_download(user, ebook) -> Decision:
    """May `user` download `ebook`'s file? Ebooks are a tier benefit, never free by default."""
    required = ebook.required_tier
    if required is not None and required.is_free:
        return Decision(True, Reason.FREE, required)
    return _check(user, required, feature="includes_ebooks")


def can_join(user, course) -> Decision:
    """May `user` join a live session of `course`?"""
    decision = can_view(user, course)
    if not decision or decision.reason in (Reason.STAFF, Reason.INSTRUCTOR):
        return decision
    return _check(user, course.required_tier, course=course, feature="includes_live_sessions")


def can_get_certificate(user, course) -> Decision:
    """May `user` be issued a certificate for `course`?"""
    decision = can_view(user, course)
    if not decision:
        return decision
    return _check(user, course.required_tier, course=course, feature="includes_certificates")


def is_gated(page) -> bool:
    """True when the page's body is not open to everyone (so responses must stay private)."""
    return not getattr(page, "is_preview", False) and not _is_open(required_tier_for(page))


def max_video_height(user) -> int:
    if is_content_staff(user):
        return max((t.max_video_height for t in all_tiers()), default=1080)
    tier = tier_of(user)
    return tier.max_video_height if tier else 720
