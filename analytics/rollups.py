"""Daily rollups: one local day of raw events (plus a few snapshots) into summary rows.

`rollup_day(day)` recomputes the whole day and replaces its rows in one transaction, so
running it twice, or again after late events arrive, gives the same answer. The nightly
job finalises the last few days; a 10-minute job keeps today's partial row fresh, and
the panels compute today's row themselves only when it is missing or stale (the job
is not running), which costs one day of events through the created_at index.
"""

import logging
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from .models import DailyCourseRollup, DailyRollup, DailyTierRollup, Event, EventKind

logger = logging.getLogger(__name__)

_SITE_KINDS = {
    EventKind.PAGE_VIEW: "page_views",
    EventKind.REGISTRATION: "registrations",
    EventKind.PREVIEW_VIEW: "preview_views",
    EventKind.VIDEO_PLAY: "video_plays",
    EventKind.PURCHASE: "purchases",
    EventKind.ENROLLMENT: "enrollments",
    EventKind.COMPLETION: "completions",
}
_COURSE_KINDS = {
    EventKind.PAGE_VIEW: "page_views",
    EventKind.PREVIEW_VIEW: "preview_views",
    EventKind.VIDEO_PLAY: "video_plays",
    EventKind.ENROLLMENT: "enrollments",
    EventKind.COMPLETION: "completions",
}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return start, end


def lesson_course_map(page_ids) -> dict[int, int]:
    """Course id of each lesson/module page id, from tree paths (two queries)."""
    from wagtail.models import Page

    from learning.models import CoursePage

    page_ids = {pk for pk in page_ids if pk}
    if not page_ids:
        return {}
    course_by_path = dict(CoursePage.objects.values_list("path", "id"))
    lengths = sorted({len(path) for path in course_by_path})
    found = {}
    for page_id, path in Page.objects.filter(id__in=page_ids).values_list("id", "path"):
        for length in lengths:
            course_id = course_by_path.get(path[:length])
            if course_id is not None:
                found[page_id] = course_id
                break
    return found


def _course_of(row, lesson_courses) -> int | None:
    return row["course_id"] or lesson_courses.get(row["lesson_id"])


def _course_figures(events) -> dict[int, dict]:
    scoped = events.filter(Q(course_id__isnull=False) | Q(lesson_id__isnull=False))
    counts = list(scoped.values("kind", "course_id", "lesson_id").annotate(n=Count("id")).order_by())
    unresolved = {row["lesson_id"] for row in counts if not row["course_id"]}
    lesson_courses = lesson_course_map(unresolved)
    figures: dict[int, dict] = defaultdict(Counter)
    for row in counts:
        course_id = _course_of(row, lesson_courses)
        field = _COURSE_KINDS.get(row["kind"])
        if course_id and field:
            figures[course_id][field] += row["n"]
    visitors: dict[int, set] = defaultdict(set)
    for row in (
        scoped.filter(kind=EventKind.PAGE_VIEW)
        .exclude(visitor="")
        .values("course_id", "lesson_id", "visitor")
        .distinct()
        .order_by()
    ):
        course_id = _course_of(row, lesson_courses)
        if course_id:
            visitors[course_id].add(row["visitor"])
    learners: dict[int, set] = defaultdict(set)
    for row in scoped.exclude(user=None).values("course_id", "lesson_id", "user_id").distinct().order_by():
        course_id = _course_of(row, lesson_courses)
        if course_id:
            learners[course_id].add(row["user_id"])
    for course_id, seen in visitors.items():
        figures[course_id]["visitors"] = len(seen)
    for course_id, seen in learners.items():
        figures[course_id]["active_learners"] = len(seen)
    return figures


def _members_by_tier(as_of: datetime) -> Counter:
    """Each user's best paid tier at `as_of` (a user holding two counts once, in the higher)."""
    from memberships.models import Subscription, SubscriptionStatus

    best: dict[int, tuple[int, int]] = {}
    rows = (
        Subscription.objects.filter(
            status__in=[SubscriptionStatus.ACTIVE, SubscriptionStatus.EXPIRED], starts_at__lte=as_of
        )
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=as_of))
        .values_list("user_id", "tier__rank", "tier_id")
    )
    for user_id, rank, tier_id in rows:
        if user_id not in best or best[user_id][0] < rank:
            best[user_id] = (rank, tier_id)
    return Counter(tier_id for _rank, tier_id in best.values())


def _tier_rows(day: date, events, as_of: datetime, users_total: int) -> list[DailyTierRollup]:
    from memberships.models import Tier

    tiers = {tier.pk: tier for tier in Tier.objects.all()}
    members = _members_by_tier(as_of)
    free = min(tiers.values(), key=lambda t: t.rank, default=None)
    if free is not None and free.is_free:
        members[free.pk] += max(users_total - sum(members.values()), 0)
    rows: dict[tuple[int, str], DailyTierRollup] = {}
    for tier_id, count in members.items():
        if tier_id in tiers and count:
            key = (tier_id, tiers[tier_id].currency)
            rows[key] = DailyTierRollup(day=day, tier_id=tier_id, currency=key[1], members=count)
    sales = (
        events.filter(kind=EventKind.PURCHASE, tier_id__isnull=False)
        .values("tier_id", "currency")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    )
    for sale in sales:
        key = (sale["tier_id"], sale["currency"] or "")
        row = rows.setdefault(key, DailyTierRollup(day=day, tier_id=key[0], currency=key[1]))
        row.purchases = sale["n"]
        row.revenue = Decimal(sale["total"] or 0)
    return list(rows.values())


def compute_day(day: date, now: datetime | None = None) -> tuple[DailyRollup, list, list]:
    """The day's rollup rows, unsaved: (site row, course rows, tier rows)."""
    now = now or timezone.now()
    start, end = day_bounds(day)
    as_of = min(end, now)
    events = Event.objects.filter(created_at__gte=start, created_at__lt=end)
    site = DailyRollup(day=day, computed_at=now)
    for row in events.values("kind").annotate(n=Count("id")).order_by():
        field = _SITE_KINDS.get(row["kind"])
        if field:
            setattr(site, field, row["n"])
    site.visitors = (
        events.filter(kind=EventKind.PAGE_VIEW).exclude(visitor="").values("visitor").distinct().count()
    )
    site.active_users = events.exclude(user=None).values("user_id").distinct().count()
    users = get_user_model().objects.filter(is_active=True)
    site.new_users = users.filter(date_joined__gte=start, date_joined__lt=end).count()
    site.users_total = users.filter(date_joined__lt=as_of).count()
    courses = [
        DailyCourseRollup(day=day, course_id=course_id, **values)
        for course_id, values in sorted(_course_figures(events).items())
    ]
    return site, courses, _tier_rows(day, events, as_of, site.users_total)


def rollup_day(day: date, now: datetime | None = None) -> DailyRollup:
    """Recompute and store one day's rollups, replacing whatever was there (idempotent)."""
    site, courses, tiers = compute_day(day, now)
    with transaction.atomic():
        DailyRollup.objects.filter(day=day).delete()
        DailyCourseRollup.objects.filter(day=day).delete()
        DailyTierRollup.objects.filter(day=day).delete()
        site.save(force_insert=True)
        DailyCourseRollup.objects.bulk_create(courses)
        DailyTierRollup.objects.bulk_create(tiers)
    return site


def rollup_range(first: date, last: date) -> int:
    days = 0
    day = first
    while day <= last:
        rollup_day(day)
        day += timedelta(days=1)
        days += 1
    return days


def ensure_today_fresh(max_age_seconds: int) -> DailyRollup | None:
    """Today's partial row, recomputed first if missing or older than `max_age_seconds`.

    Two admins loading the dashboard at once may both recompute; the loser's unique
    violation is ignored and it reads the winner's row.
    """
    today = timezone.localdate()
    row = DailyRollup.objects.filter(day=today).first()
    if row is not None and (timezone.now() - row.computed_at).total_seconds() <= max_age_seconds:
        return row
    try:
        return rollup_day(today)
    except IntegrityError:
        logger.info("analytics: today's rollup was being recomputed concurrently")
        return DailyRollup.objects.filter(day=today).first()


def delete_old_events(retention_days: int, batch_size: int = 10_000) -> int:
    """Delete raw events older than `retention_days`, in batches so no lock is held long."""
    cutoff = timezone.now() - timedelta(days=retention_days)
    deleted = 0
    while True:
        ids = list(Event.objects.filter(created_at__lt=cutoff).values_list("id", flat=True)[:batch_size])
        if not ids:
            return deleted
        deleted += Event.objects.filter(id__in=ids).delete()[0]
