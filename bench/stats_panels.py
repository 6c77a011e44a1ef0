"""The admin home's stats panels at scale: rendered from daily rollups vs the same figures
computed by raw queries over the events, side by side in one run.

Builds 100,000 users (a third of them paying), 30 courses and 1,000,000 analytics events
over 180 days (COPY on PostgreSQL, executemany on SQLite), rolls up the last 90 days,
then times (a) the whole admin home (Wagtail's own panels included) for a superuser, and
(b) the figures it shows computed straight from `analytics_event`, users and
subscriptions. It also checks that both give the same numbers.

    .venv/bin/python -m bench stats_panels                     # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lectern_stats_bench \\
        .venv/bin/python -m bench stats_panels                 # creates and drops that DB

Targets: admin home ≤ 150 ms, and ≥ 50x faster than the raw queries.
"""

import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from bench.setup import drop_postgres_database, recreate_postgres_database

USERS = int(os.environ.get("BENCH_USERS", 100_000))  # smaller for a quick try
EVENTS = int(os.environ.get("BENCH_EVENTS", 1_000_000))
DAYS = 180
COURSES = 30
LESSONS_PER_COURSE = 6
ROLLUP_DAYS = 90
ROUNDS = 7
KIND_WEIGHTS = {
    "page_view": 80,
    "preview_view": 8,
    "video_play": 6,
    "enrollment": 3,
    "registration": 1.5,
    "completion": 1,
    "purchase": 0.5,
}


# -- database -------------------------------------------------------------------------
def _create_database() -> str | None:
    """A fresh PostgreSQL bench database (dropped at the end); None on SQLite."""
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = (
            f"sqlite:///{tempfile.mkdtemp(prefix='lectern-stats-bench-')}/bench.sqlite3"
        )
        return None
    return recreate_postgres_database(os.environ["DATABASE_URL"])


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Timings as in production: no query log, no template-render instrumentation.
    settings.DEBUG = False
    call_command("migrate", verbosity=0, interactive=False)


# -- data -----------------------------------------------------------------------------
def _build_site():
    from bench.setup import fresh_catalog
    from learning.models import LessonPage
    from media_pipeline.models import Video
    from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

    catalog = fresh_catalog()
    videos = Video.objects.bulk_create(
        [
            Video(
                title=f"Video {n}",
                status="ready" if n % 10 else "processing",
                duration_seconds=600,
                output_size=150_000_000,
            )
            for n in range(COURSES * LESSONS_PER_COURSE)
        ]
    )
    courses = []
    for c in range(COURSES):
        course = CoursePageFactory(parent=catalog, title=f"Course {c:02d}")
        module = ModulePageFactory(parent=course)
        for n in range(LESSONS_PER_COURSE):
            LessonPageFactory(parent=module, is_preview=(n == 0), video=videos[c * LESSONS_PER_COURSE + n])
        courses.append(course)
    lessons = {
        course.pk: list(LessonPage.objects.descendant_of(course).values_list("pk", flat=True))
        for course in courses
    }
    return courses, lessons


def _build_users(now):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from memberships.models import Subscription, Tier

    User = get_user_model()
    password = make_password("bench-password")
    rng = random.Random(1)
    User.objects.bulk_create(
        (
            User(
                email=f"bench{n}@example.test",
                full_name=f"Learner {n}",
                password=password,
                date_joined=now - timedelta(seconds=rng.randrange(365 * 86400)),
            )
            for n in range(USERS)
        ),
        batch_size=5000,
    )
    admin = User.objects.create_superuser(email="bench-admin@example.test", password=None)  # force_login only
    paid = list(Tier.objects.filter(price__gt=0).order_by("rank"))
    user_ids = list(User.objects.values_list("pk", flat=True))
    Subscription.objects.bulk_create(
        (
            Subscription(
                user_id=user_id,
                tier=paid[index % len(paid)],
                starts_at=now - timedelta(days=rng.randrange(1, 300)),
                ends_at=now + timedelta(days=rng.randrange(-60, 300)),
                provider="stripe",
            )
            for index, user_id in enumerate(user_ids[: USERS // 3])
        ),
        batch_size=5000,
    )
    return admin, user_ids, paid


def _event_rows(now, user_ids, lessons, paid):
    rng = random.Random(2)
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    course_ids = list(lessons)
    visitors = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(60_000)]
    span = DAYS * 86400
    for kind in rng.choices(kinds, weights, k=EVENTS):
        created = now - timedelta(seconds=rng.randrange(span))
        course_id = rng.choice(course_ids)
        lesson_id = None
        user_id = rng.choice(user_ids) if kind != "page_view" or rng.random() < 0.3 else None
        amount, currency, tier_id = None, "", None
        if kind in ("video_play", "preview_view") or (kind == "page_view" and rng.random() < 0.6):
            lesson_id = rng.choice(lessons[course_id])
            course_id = None if rng.random() < 0.5 else course_id  # some resolved by the rollup
        elif kind in ("registration", "purchase"):
            course_id = None
        if kind == "page_view" and rng.random() < 0.2:
            course_id = lesson_id = None  # home, blog, pricing …
        if kind == "purchase":
            tier = rng.choice(paid)
            amount, currency, tier_id = tier.price, tier.currency, tier.pk
        yield (
            kind,
            created,
            user_id,
            rng.choice(visitors) if kind in ("page_view", "preview_view") else "",
            "/",
            course_id,
            lesson_id,
            tier_id,
            amount,
            currency,
            "{}",
        )


_EVENT_COLUMNS = (
    "kind, created_at, user_id, visitor, path, course_id, lesson_id, tier_id, amount, currency, data"
)


def _load_events(rows):
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY analytics_event ({_EVENT_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            batch = []
            sql = f"INSERT INTO analytics_event ({_EVENT_COLUMNS}) VALUES ({', '.join(['%s'] * 11)})"  # noqa: S608 (constants)
            for row in rows:
                created = connection.ops.adapt_datetimefield_value(row[1])
                batch.append((row[0], created, *row[2:8], None if row[8] is None else str(row[8]), *row[9:]))
                if len(batch) == 20_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# -- the same figures straight from the events ----------------------------------------
def raw_figures(days: int) -> dict:
    """What the panels show, computed from raw events, users and subscriptions."""
    from collections import Counter, defaultdict

    from django.contrib.auth import get_user_model
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    from analytics.models import Event
    from analytics.rollups import _members_by_tier, day_bounds, lesson_course_map

    today = timezone.localdate()
    start, _ = day_bounds(today - timedelta(days=days - 1))
    events = Event.objects.filter(created_at__gte=start)
    kinds = dict(events.values_list("kind").annotate(n=Count("id")).order_by())
    visitors = (
        events.filter(kind="page_view")
        .exclude(visitor="")
        .annotate(day=TruncDate("created_at"))
        .values("day", "visitor")
        .distinct()
        .count()
    )
    revenue = {
        (row["tier_id"], row["currency"]): row["total"]
        for row in events.filter(kind="purchase")
        .values("tier_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    daily_revenue = list(
        events.filter(kind="purchase")
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(total=Sum("amount"))
    )
    scoped = events.exclude(course_id=None, lesson_id=None)
    per_course = list(scoped.values("kind", "course_id", "lesson_id").annotate(n=Count("id")).order_by())
    lesson_courses = lesson_course_map({row["lesson_id"] for row in per_course if not row["course_id"]})
    enrollments = Counter()
    for row in per_course:
        course = row["course_id"] or lesson_courses.get(row["lesson_id"])
        if row["kind"] == "enrollment" and course:
            enrollments[course] += row["n"]
    learner_days = defaultdict(set)
    for row in (
        scoped.exclude(user=None)
        .annotate(day=TruncDate("created_at"))
        .values("day", "course_id", "lesson_id", "user_id")
        .distinct()
        .order_by()
    ):
        course = row["course_id"] or lesson_courses.get(row["lesson_id"])
        learner_days[course].add((row["day"], row["user_id"]))
    today_start, _ = day_bounds(today)
    users = get_user_model().objects.filter(is_active=True)
    return {
        "users_total": users.count(),
        "new_users": users.filter(date_joined__gte=start).count(),
        "members": _members_by_tier(timezone.now()),
        "visitors": visitors,
        "kinds": kinds,
        "revenue": revenue,
        "daily_revenue": daily_revenue,
        "enrollments": dict(enrollments),
        "active_learner_days": {course: len(seen) for course, seen in learner_days.items()},
        "active_today": Event.objects.filter(created_at__gte=today_start)
        .exclude(user=None)
        .values("user_id")
        .distinct()
        .count(),
    }


# -- timing ---------------------------------------------------------------------------
def _median_ms(fn, rounds=ROUNDS):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    database = _create_database()
    try:
        _run()
    finally:
        if database:
            drop_postgres_database(os.environ["DATABASE_URL"])


def _run():
    _setup_django()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from analytics import rollups
    from analytics.figures import Dashboard, scope_for

    print(f"stats panels at scale ({connection.vendor}; the machine is shared, figures are indicative)")
    now = timezone.now()
    started = time.perf_counter()
    courses, lessons = _build_site()
    admin, user_ids, paid = _build_users(now)
    print(f"  built {COURSES} courses, {len(user_ids):,} users in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    _load_events(_event_rows(now, user_ids, lessons, paid))
    print(f"  loaded {EVENTS:,} events over {DAYS} days in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    today = timezone.localdate()
    rollups.rollup_range(today - timedelta(days=ROLLUP_DAYS - 1), today)
    elapsed = time.perf_counter() - started
    print(
        f"  rolled up {ROLLUP_DAYS} days in {elapsed:.1f} s ({elapsed * 1000 / ROLLUP_DAYS:.0f} ms per day)"
    )

    client = Client()
    client.force_login(admin)
    import analytics.wagtail_hooks

    def figures_from_rollups(days):
        dashboard = Dashboard(scope_for(admin), days)
        for name in ("users", "revenue", "course_counts", "videos", "funnel", "top_courses", "active_today"):
            getattr(dashboard, name)
        return dashboard

    def home_without_stats(url):
        original = analytics.wagtail_hooks.add_stats_panels
        analytics.wagtail_hooks.add_stats_panels = lambda request, panels: None
        try:
            return _median_ms(lambda: client.get(url))
        finally:
            analytics.wagtail_hooks.add_stats_panels = original

    print()
    print(
        "  median ms   admin home   its queries   Wagtail's own   stats figures   same figures by   raw / stats"
    )
    print(
        "              (rollups)                  home, no stats   from rollups   raw queries       figures   page"
    )
    for days in (30, 90):
        url = f"/admin/?range={days}"
        assert client.get(url).status_code == 200  # warm up
        captured = []

        def count(execute, sql, *args, captured=captured):
            captured.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            client.get(url)
        home_ms = _median_ms(lambda url=url: client.get(url))
        bare_ms = home_without_stats(url)
        figures_ms = _median_ms(lambda days=days: figures_from_rollups(days))
        raw_ms = _median_ms(lambda days=days: raw_figures(days), rounds=3)
        same = _compare(figures_from_rollups(days), raw_figures(days))
        print(
            f"  {days:>2} days  {home_ms:>11.1f}  {len(captured):>12}  {bare_ms:>14.1f}  {figures_ms:>14.1f}  "
            f"{raw_ms:>15.0f}  {raw_ms / figures_ms:>7.0f}x {raw_ms / home_ms:>5.0f}x   same figures: {same}"
        )
    print("  targets: admin home <= 150 ms; rollups >= 50x faster than raw queries")


def _compare(dashboard, raw) -> str:
    """Spot-check that the rollups and the raw queries agree."""
    site = {"Visitors": raw["visitors"], "Purchases": raw["kinds"].get("purchase", 0)}
    funnel = {step["label"]: step["value"] for step in dashboard.funnel}
    checks = {
        "users": dashboard.users["total"] == raw["users_total"],
        "new users": dashboard.users["new"] == raw["new_users"],
        "visitors": funnel["Visitors"] == site["Visitors"],
        "purchases": funnel["Purchases"] == site["Purchases"],
        "revenue": sorted((t["currency"], t["amount"]) for t in dashboard.revenue["totals"])
        == sorted(_by_currency(raw["revenue"]).items()),
        "top courses": _same_top(dashboard.top_courses, raw["enrollments"]),
    }
    failed = [name for name, ok in checks.items() if not ok]
    return "yes" if not failed else "NO: " + ", ".join(failed)


def _same_top(top, enrollments) -> bool:
    """Each listed course has the raw count, and none left out has more than the last."""
    listed = {course["id"] for course in top}
    if any(enrollments.get(course["id"], 0) != course["enrollments"] for course in top):
        return False
    rest = [n for course_id, n in enrollments.items() if course_id not in listed]
    return not rest or max(rest) <= min(course["enrollments"] for course in top)


def _by_currency(revenue):
    totals = {}
    for (_tier, currency), amount in revenue.items():
        totals[currency] = totals.get(currency, Decimal(0)) + Decimal(amount)
    return totals


if __name__ == "__main__":
    main()
