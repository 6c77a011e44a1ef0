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
6. A learner who bought a course on its own (a live `CoursePurchase`) opens everything
   in it for life, whatever their tier does later: its pages, lessons, videos, quizzes,
   certificate and the ebooks attached to it, and its live sessions when the course
   says buyers join them. A refund revokes the purchase and with it this rule.
7. In a course marked sequential, a lesson opens only once the lessons before it in
   outline order are complete (preview lessons, content staff and the course's
   instructors are exempt).

The policy never imports page classes: content describes itself through the small
`Gated` / `GatedCourse` protocols below (what tier it asks for, which course it is in,
whether it is a preview, where it sits in the course). That keeps the dependency one
way — content depends on the policy, never the other way round.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from django.utils.functional import cached_property

from .models import CoursePurchase, Tier


class Reason(StrEnum):
    PREVIEW = "preview"
    FREE = "free"
    STAFF = "staff"
    INSTRUCTOR = "instructor"
    MEMBER = "member"
    PURCHASED = "purchased"
    LOGIN_REQUIRED = "login_required"
    TIER_TOO_LOW = "tier_too_low"
    NOT_IN_TIER = "not_in_tier"
    LOCKED = "locked"


class LessonRef(Protocol):
    """A lesson as the policy sees it inside a course's outline."""

    pk: int
    is_preview: bool


@runtime_checkable
class GatedCourse(Protocol):
    """What a course tells the policy: its own id, whether it is sequential, its lessons
    in outline order (cached on the course object) and, in one query, which of them a
    learner has completed."""

    pk: int
    is_sequential: bool

    @property
    def ordered_lessons(self) -> Sequence[LessonRef]: ...

    def completed_lesson_ids(self, user) -> set[int]: ...


@runtime_checkable
class Gated(Protocol):
    """What any gated content tells the policy. Pages without it are open to all.

    `access_tier`: the tier its body asks for (None when open to all).
    `access_course`: the course it belongs to (None outside courses); its instructors
    open it, and it decides sequential unlock.
    `access_is_lesson`: True for lessons, the only content sequential unlock applies to.
    """

    @property
    def access_tier(self) -> Tier | None: ...

    @property
    def access_course(self) -> GatedCourse | None: ...


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason
    required_tier: Tier | None = None
    user_tier: Tier | None = None
    # For Reason.LOCKED: the lesson to finish first (has title and a URL).
    finish_first: Any = None

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
    # A visitor's user object is made per request too (Django's and DRF's AnonymousUser),
    # so an outline asking the policy per lesson costs one query for a visitor as well.
    user._lectern_tier = Tier.objects.held_by(user.pk) if user.is_authenticated else free_tier()
    return user._lectern_tier


def forget_tier(user) -> None:
    """Drop the per-request cache after a subscription change in the same request."""
    user.__dict__.pop("_lectern_tier", None)


def bought_course_ids(user) -> frozenset[int]:
    """Ids of the courses `user` bought and still owns (not refunded).

    One query per request, cached on the user object like `tier_of`.
    """
    if not user.is_authenticated:
        return frozenset()
    cached = user.__dict__.get("_lectern_bought")
    if cached is None:
        cached = frozenset(
            CoursePurchase.objects.live().filter(user=user).values_list("course_id", flat=True)
        )
        user._lectern_bought = cached
    return cached


def forget_purchases(user) -> None:
    """Drop the per-request cache after a purchase was granted or revoked in this request."""
    user.__dict__.pop("_lectern_bought", None)


def owns_course(user, course) -> bool:
    return course is not None and course.pk in bought_course_ids(user)


def _purchase_opens(user, course_id: int | None, feature: str | None, course=None) -> bool:
    """Rule 6: a bought course opens everything in it; live sessions only if the course
    says buyers join them."""
    if course_id is None or course_id not in bought_course_ids(user):
        return False
    if feature == "includes_live_sessions":
        return bool(getattr(course, "purchase_includes_live", False))
    return True


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


def _course_of(page) -> GatedCourse | None:
    return getattr(page, "access_course", None)


def required_tier_for(page) -> Tier | None:
    """The tier a page's body asks for; None when it is open to all."""
    return getattr(page, "access_tier", None)


def _is_lesson(page) -> bool:
    return bool(getattr(page, "access_is_lesson", False))


def completed_lessons(user, course: GatedCourse) -> set[int]:
    """Ids of `course`'s lessons `user` has completed: one query per course per request,
    cached on the user object like `tier_of`."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_lectern_completed", {})
    if course.pk not in cache:
        cache[course.pk] = set(course.completed_lesson_ids(user))
    return cache[course.pk]


def forget_completions(user, course: GatedCourse | None = None) -> None:
    """Drop the per-request completions cache after a lesson was completed."""
    cache = user.__dict__.get("_lectern_completed")
    if cache is None:
        return
    if course is None:
        cache.clear()
    else:
        cache.pop(course.pk, None)


def _outline(user, course: GatedCourse) -> Sequence[LessonRef]:
    """The course's lessons in order, shared per request by course id (search results
    hold a separate course object per lesson; one query per course, not per result)."""
    cache = user.__dict__.setdefault("_lectern_outline", {})
    if course.pk not in cache:
        cache[course.pk] = list(course.ordered_lessons)
    return cache[course.pk]


def lesson_blocking(user, course: GatedCourse, lesson_pk: int):
    """The earlier lesson `user` must finish before `lesson_pk` opens, or None.

    Only the sequential rule: tier, staff and instructor exemptions are the caller's.
    A lesson opens when every lesson before it in outline order is complete (so the
    previous one, and no always-open preview lesson can be used to skip ahead); the
    answer is the first of them not done yet. Preview lessons are never blocked.
    """
    if not course.is_sequential:
        return None
    for lesson in _outline(user, course):
        if lesson.pk == lesson_pk:
            return None if lesson.is_preview else _first_unfinished(user, course, lesson_pk)
    return None


def _first_unfinished(user, course: GatedCourse, before_pk: int):
    done = completed_lessons(user, course)
    for lesson in _outline(user, course):
        if lesson.pk == before_pk:
            return None
        if lesson.pk not in done:
            return lesson
    return None


def locked_lessons(user, course: GatedCourse) -> set[int]:
    """Ids of the lessons of `course` that sequential unlock keeps closed for `user`
    (for the outline's locks). Cheap: the cached outline and completions."""
    if not course.is_sequential or _exempt_from_sequence(user, course):
        return set()
    done = completed_lessons(user, course)
    locked = set()
    all_before_done = True
    for lesson in _outline(user, course):
        if not all_before_done and not lesson.is_preview:
            locked.add(lesson.pk)
        all_before_done = all_before_done and lesson.pk in done
    return locked


def _exempt_from_sequence(user, course) -> bool:
    return is_content_staff(user) or teaches(user, course)


def _is_open(tier: Tier | None) -> bool:
    return tier is None or tier.is_free


def _check(
    user, required: Tier | None, *, course=None, feature: str | None = None, course_id: int | None = None
) -> Decision:
    if not user.is_authenticated:
        return Decision(False, Reason.LOGIN_REQUIRED, required, tier_of(user))
    # The member check comes first: it is the common case and costs one cached query,
    # while staff and instructor checks load permissions and the course's instructors.
    tier = tier_of(user)
    has_feature = not feature or getattr(tier, feature, False)
    if has_feature and tier is not None and tier.includes(required):
        return Decision(True, Reason.MEMBER, required, tier)
    if _purchase_opens(user, course.pk if course is not None else course_id, feature, course):
        return Decision(True, Reason.PURCHASED, required, tier)
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
    course = _course_of(page)
    if _is_open(required):
        decision = Decision(True, Reason.FREE, required)
    else:
        decision = _check(user, required, course=course)
    if decision.allowed and decision.reason in _SEQUENCE_APPLIES and _is_lesson(page):
        return _check_sequence(user, page, course, decision)
    return decision


_SEQUENCE_APPLIES = (Reason.FREE, Reason.MEMBER, Reason.PURCHASED)


def _check_sequence(user, lesson, course, decision: Decision) -> Decision:
    """Sequential unlock, after the tier said yes (staff and instructors are exempt)."""
    if course is None or not course.is_sequential:
        return decision
    blocking = lesson_blocking(user, course, lesson.pk)
    if blocking is None or _exempt_from_sequence(user, course):
        return decision
    return Decision(False, Reason.LOCKED, decision.required_tier, decision.user_tier, finish_first=blocking)


def can_play(user, lesson) -> Decision:
    """May `user` stream `lesson`'s video (playlist and key)? As viewing it, sequential
    unlock included, so a locked lesson's key is refused too."""
    return can_view(user, lesson)


def can_download(user, ebook) -> Decision:
    """May `user` download `ebook`'s file? Ebooks are a tier benefit, never free by default;
    an ebook attached to a course also opens to those who bought that course."""
    required = ebook.required_tier
    if required is not None and required.is_free:
        return Decision(True, Reason.FREE, required)
    return _check(user, required, feature="includes_ebooks", course_id=getattr(ebook, "course_id", None))


def can_join(user, course) -> Decision:
    """May `user` join a live session of `course`?"""
    decision = can_view(user, course)
    if not decision or decision.reason in (Reason.STAFF, Reason.INSTRUCTOR):
        return decision
    return _check(user, required_tier_for(course), course=course, feature="includes_live_sessions")


def can_get_certificate(user, course) -> Decision:
    """May `user` be issued a certificate for `course`?"""
    decision = can_view(user, course)
    if not decision:
        return decision
    return _check(user, required_tier_for(course), course=course, feature="includes_certificates")


def is_gated(page) -> bool:
    """True when the page's body is not open to everyone (so responses must stay private):
    it needs a tier, or it is a lesson of a sequential course."""
    if getattr(page, "is_preview", False):
        return False
    if not _is_open(required_tier_for(page)):
        return True
    if _is_lesson(page):
        course = _course_of(page)
        return bool(course is not None and course.is_sequential)
    return False


def max_video_height(user) -> int:
    if is_content_staff(user):
        return max((t.max_video_height for t in all_tiers()), default=1080)
    tier = tier_of(user)
    return tier.max_video_height if tier else 720
