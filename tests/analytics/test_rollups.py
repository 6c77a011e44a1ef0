"""Daily rollups add up the raw events correctly, and recomputing a day changes nothing."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

import pytest

from analytics import rollups, tasks
from analytics.models import DailyCourseRollup, DailyRollup, DailyTierRollup, Event, EventKind
from learning.models import LessonPage
from memberships.models import Subscription

from .conftest import at, event

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(yesterday, course, other_course, learner, silver, tiers):
    """A day with page views from three visitors, a preview, plays, a purchase in VND …"""
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    when = at(yesterday)
    for visitor in ("v1", "v1", "v2", "v3"):
        event(EventKind.PAGE_VIEW, when, visitor=visitor, course_id=course.pk)
    # A lesson view recorded without its course: the rollup finds the course by tree path.
    event(EventKind.PAGE_VIEW, when, visitor="v4", lesson_id=lessons[1].pk, user=learner)
    event(EventKind.PREVIEW_VIEW, when, visitor="v2", lesson_id=lessons[0].pk)
    event(EventKind.PAGE_VIEW, when, visitor="v9", course_id=other_course.pk)
    event(EventKind.REGISTRATION, when, user=learner)
    event(EventKind.VIDEO_PLAY, when, user=learner, lesson_id=lessons[1].pk)
    event(EventKind.ENROLLMENT, when, user=learner, course_id=course.pk)
    event(EventKind.ENROLLMENT, when, user=silver, course_id=course.pk)
    event(EventKind.COMPLETION, when, user=silver, course_id=course.pk)
    for amount in ("199000", "199000.40"):
        event(
            EventKind.PURCHASE,
            when,
            user=silver,
            tier_id=tiers["silver"].pk,
            amount=Decimal(amount),
            currency="VND",
        )
    # Just outside the day on both sides: never counted.
    event(EventKind.PAGE_VIEW, at(yesterday - timedelta(days=1), 23), visitor="old")
    event(EventKind.PAGE_VIEW, at(yesterday + timedelta(days=1), 0), visitor="new")
    return yesterday


def test_site_rollup_counts_each_kind_and_unique_visitors(busy_day):
    row = rollups.rollup_day(busy_day)
    assert row.page_views == 6
    assert row.visitors == 5  # v1 twice counts once
    assert (row.preview_views, row.registrations, row.video_plays) == (1, 1, 1)
    assert (row.enrollments, row.completions, row.purchases) == (2, 1, 2)
    assert row.active_users == 2


def test_course_rollup_resolves_lessons_to_their_course(busy_day, course, other_course, learner):
    rollups.rollup_day(busy_day)
    mine = DailyCourseRollup.objects.get(day=busy_day, course_id=course.pk)
    assert mine.page_views == 5
    assert mine.visitors == 4
    assert mine.preview_views == 1
    assert mine.video_plays == 1
    assert (mine.enrollments, mine.completions) == (2, 1)
    assert mine.active_learners == 2
    theirs = DailyCourseRollup.objects.get(day=busy_day, course_id=other_course.pk)
    assert (theirs.page_views, theirs.enrollments) == (1, 0)


def test_revenue_is_summed_as_decimal_per_tier_and_currency(busy_day, tiers):
    rollups.rollup_day(busy_day)
    row = DailyTierRollup.objects.get(day=busy_day, tier_id=tiers["silver"].pk, currency="VND")
    assert row.purchases == 2
    assert row.revenue == Decimal("398000.40")


def test_members_by_tier_counts_each_user_once_in_their_best_tier(busy_day, tiers, silver, gold, bronze):
    # silver also holds an overlapping Gold: counted in Gold only.
    Subscription.objects.create(
        user=silver, tier=tiers["gold"], starts_at=timezone.now() - timedelta(days=5), ends_at=None
    )
    row = rollups.rollup_day(timezone.localdate())
    members = {
        r.tier_id: r.members for r in DailyTierRollup.objects.filter(day=timezone.localdate()) if r.members
    }
    assert members[tiers["gold"].pk] == 2
    assert tiers["silver"].pk not in members
    free = min(tiers.values(), key=lambda t: t.rank)
    assert members[free.pk] == row.users_total - 2


def test_recomputing_a_day_is_idempotent(busy_day):
    def snapshot():
        return (
            list(
                DailyRollup.objects.values()
                .order_by("day")
                .values_list("day", "page_views", "visitors", "purchases")
            ),
            list(
                DailyCourseRollup.objects.order_by("course_id").values_list(
                    "course_id", "page_views", "visitors"
                )
            ),
            list(DailyTierRollup.objects.order_by("tier_id").values_list("tier_id", "members", "revenue")),
        )

    rollups.rollup_day(busy_day)
    first = snapshot()
    rollups.rollup_day(busy_day)
    assert snapshot() == first
    assert DailyRollup.objects.count() == 1


def test_a_late_event_is_picked_up_by_the_next_run(busy_day):
    rollups.rollup_day(busy_day)
    event(EventKind.PAGE_VIEW, at(busy_day, 23), visitor="late")
    tasks.rollup_recent_days()
    assert DailyRollup.objects.get(day=busy_day).page_views == 7


def test_nightly_job_rolls_up_the_last_days_but_not_today(busy_day):
    assert tasks.rollup_recent_days(days=3) == 3
    assert set(DailyRollup.objects.values_list("day", flat=True)) == {
        timezone.localdate() - timedelta(days=n) for n in (1, 2, 3)
    }


def test_an_empty_day_gives_a_row_of_zeros(yesterday):
    row = rollups.rollup_day(yesterday - timedelta(days=30))
    assert (row.page_views, row.visitors, row.purchases) == (0, 0, 0)
    assert not DailyCourseRollup.objects.exists()


def test_today_is_recomputed_only_when_stale(db, settings):
    first = rollups.ensure_today_fresh(600)
    event(EventKind.PAGE_VIEW, timezone.now(), visitor="x")
    assert rollups.ensure_today_fresh(600).page_views == first.page_views == 0
    assert rollups.ensure_today_fresh(0).page_views == 1


def test_cleanup_deletes_only_events_older_than_the_retention(db, settings):
    now = timezone.now()
    old = event(EventKind.PAGE_VIEW, now - timedelta(days=181))
    older = event(EventKind.PURCHASE, now - timedelta(days=400))
    kept_edge = event(EventKind.PAGE_VIEW, now - timedelta(days=179, hours=23))
    recent = event(EventKind.PAGE_VIEW, now - timedelta(days=1))
    assert settings.ANALYTICS_RETENTION_DAYS == 180
    assert tasks.delete_old_events() == 2
    remaining = set(Event.objects.values_list("pk", flat=True))
    assert remaining == {kept_edge.pk, recent.pk}
    assert old.pk not in remaining and older.pk not in remaining


def test_cleanup_works_in_batches(db):
    now = timezone.now()
    Event.objects.bulk_create(
        [Event(kind=EventKind.PAGE_VIEW, created_at=now - timedelta(days=200)) for _ in range(25)]
    )
    assert rollups.delete_old_events(180, batch_size=10) == 25
    assert not Event.objects.exists()


def test_schedules_are_created_on_migrate(db):
    from django_q.models import Schedule

    from analytics.schedules import ensure_schedules

    ensure_schedules()
    ensure_schedules()
    crons = dict(Schedule.objects.filter(name__startswith="analytics:").values_list("func", "cron"))
    assert crons == {
        "analytics.tasks.rollup_recent_days": "30 0 * * *",
        "analytics.tasks.refresh_today": "*/10 * * * *",
        "analytics.tasks.delete_old_events": "15 3 * * *",
    }


def test_refreshing_today_counts_todays_events(db):
    from analytics.models import DailyRollup

    event(EventKind.PAGE_VIEW, timezone.now(), visitor="x")
    tasks.refresh_today()
    event(EventKind.PAGE_VIEW, timezone.now(), visitor="y")
    tasks.refresh_today()
    assert DailyRollup.objects.get(day=timezone.localdate()).visitors == 2
