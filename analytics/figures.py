"""What the stats panels and the CSV export show, read from the daily rollups.

`Scope` says whose figures a viewer may see: superusers and content staff see the whole
site; an instructor sees only the courses they teach. Revenue is never shown to an
instructor: memberships are sold for the whole site, not per course, so a per-course
share would be invented, and the business's takings are not theirs to read. System and
backup panels are for superusers only.

Event-derived figures come from the rollups. State that is "now" by nature comes from
small tables with cheap counts: pages (courses), videos and the packaging queue.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.functional import cached_property

from memberships.models import ItemKind, OrderItem

from . import rollups
from .models import DailyCourseRollup, DailyRollup, DailyTierRollup

RANGES = (7, 30, 90)
DEFAULT_RANGE = 30
TOP_COURSES = 10


def parse_range(value) -> int:
    """7, 30 or 90 from a GET value; anything else is the default (30), without error."""
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        return DEFAULT_RANGE
    return days if days in RANGES else DEFAULT_RANGE


@dataclass(frozen=True)
class Scope:
    whole_site: bool
    course_ids: frozenset = field(default_factory=frozenset)
    show_revenue: bool = False
    show_system: bool = False

    @property
    def visible(self) -> bool:
        return self.whole_site or bool(self.course_ids)

    def allows_course(self, course_id: int) -> bool:
        return self.whole_site or course_id in self.course_ids


def scope_for(user) -> Scope:
    """Whose figures `user` may see on the dashboard."""
    from memberships.policy import is_content_staff

    if not user.is_authenticated or not user.is_active:
        return Scope(whole_site=False)
    if is_content_staff(user):
        return Scope(
            whole_site=True,
            show_revenue=user.is_superuser or user.has_perm("memberships.view_order"),
            show_system=user.is_superuser,
        )
    taught = frozenset(user.taught_courses.values_list("pk", flat=True))
    return Scope(whole_site=False, course_ids=taught)


def _sum(rows, name):
    return sum(getattr(row, name) for row in rows)


class Dashboard:
    """All panel figures for one viewer and range, each computed once on first use."""

    def __init__(self, scope: Scope, days: int = DEFAULT_RANGE, today: date | None = None):
        self.scope = scope
        self.days = days
        self.today = today or timezone.localdate()
        self.first_day = self.today - timedelta(days=days - 1)

    # -- rollup rows ---------------------------------------------------------------
    @cached_property
    def today_row(self) -> DailyRollup | None:
        return rollups.ensure_today_fresh(settings.ANALYTICS_TODAY_MAX_AGE_SECONDS)

    @cached_property
    def site_rows(self) -> list[DailyRollup]:
        self.today_row  # noqa: B018  (make sure today's partial row exists first)
        return list(DailyRollup.objects.filter(day__gte=self.first_day, day__lte=self.today))

    def _course_rollups(self):
        self.today_row  # noqa: B018  (make sure today's partial row exists first)
        rows = DailyCourseRollup.objects.filter(day__gte=self.first_day, day__lte=self.today)
        if not self.scope.whole_site:
            rows = rows.filter(course_id__in=self.scope.course_ids)
        return rows

    @cached_property
    def course_totals(self) -> dict[int, dict]:
        """Per course, the range's sums (summed in the database: one row per course)."""
        rows = (
            self._course_rollups()
            .values("course_id")
            .annotate(
                visitors=Sum("visitors"),
                preview_views=Sum("preview_views"),
                enrollments=Sum("enrollments"),
                completions=Sum("completions"),
                learner_days=Sum("active_learners"),
            )
            .order_by()
        )
        return {row.pop("course_id"): row for row in rows}

    def _course_total(self, name: str) -> int:
        return sum(row[name] or 0 for row in self.course_totals.values())

    @cached_property
    def tier_rows(self) -> list[DailyTierRollup]:
        self.today_row  # noqa: B018
        return list(DailyTierRollup.objects.filter(day__gte=self.first_day, day__lte=self.today))

    @cached_property
    def tiers(self) -> dict:
        from memberships.models import Tier

        return {tier.pk: tier for tier in Tier.objects.all()}

    @cached_property
    def courses(self) -> dict:
        from learning.models import CoursePage

        pages = CoursePage.objects.all()
        if not self.scope.whole_site:
            pages = pages.filter(pk__in=self.scope.course_ids)
        return {page.pk: page for page in pages.only("id", "title", "live", "url_path")}

    @property
    def dates(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(self.days)]

    # -- panels --------------------------------------------------------------------
    @cached_property
    def users(self) -> dict:
        if self.scope.whole_site:
            latest = max(self.site_rows, key=lambda r: r.day, default=None)
            by_tier = Counter()
            last_day = max((r.day for r in self.tier_rows), default=None)
            for row in self.tier_rows:
                if row.day == last_day:
                    by_tier[row.tier_id] += row.members
            return {
                "label": "Users",
                "total": latest.users_total if latest else 0,
                "new": _sum(self.site_rows, "new_users"),
                "new_label": "new accounts",
                "by_tier": self._tier_list(by_tier),
            }
        return self._learners_of_my_courses()

    def _learners_of_my_courses(self) -> dict:
        """Learners enrolled in the viewer's courses: a live count, bounded by those
        courses' enrollments (indexed by course)."""
        from learning.models import Enrollment
        from memberships.models import Subscription

        learner_ids = set(
            Enrollment.objects.filter(course_id__in=self.scope.course_ids).values_list("user_id", flat=True)
        )
        best: dict[int, tuple[int, int]] = {}
        for user_id, rank, tier_id in (
            Subscription.objects.current()
            .filter(user_id__in=learner_ids)
            .values_list("user_id", "tier__rank", "tier_id")
        ):
            if user_id not in best or best[user_id][0] < rank:
                best[user_id] = (rank, tier_id)
        by_tier = Counter(tier_id for _rank, tier_id in best.values())
        free = min(self.tiers.values(), key=lambda t: t.rank, default=None)
        if free is not None and len(learner_ids) > len(best):
            by_tier[free.pk] += len(learner_ids) - len(best)
        return {
            "label": "Your learners",
            "total": len(learner_ids),
            "new": self._course_total("enrollments"),
            "new_label": "new enrollments",
            "by_tier": self._tier_list(by_tier),
        }

    def _tier_list(self, counts: Counter) -> list[dict]:
        ordered = sorted(counts.items(), key=lambda item: getattr(self.tiers.get(item[0]), "rank", 999))
        return [
            {"tier": str(self.tiers.get(tier_id, f"tier {tier_id}")), "count": count}
            for tier_id, count in ordered
            if count
        ]

    @cached_property
    def revenue(self) -> dict | None:
        """Totals per currency (never added across currencies), by tier, and a daily series."""
        if not self.scope.show_revenue:
            return None
        from memberships.money import format_money

        by_currency: dict[str, Decimal] = defaultdict(Decimal)
        by_tier: dict[tuple[int, str], list] = {}
        daily: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        purchases = 0
        for row in self.tier_rows:
            if not row.purchases:
                continue
            purchases += row.purchases
            by_currency[row.currency] += row.revenue
            entry = by_tier.setdefault((row.tier_id, row.currency), [0, Decimal(0)])
            entry[0] += row.purchases
            entry[1] += row.revenue
            daily[row.currency][row.day] += row.revenue
        by_course: dict[tuple[int, str], list] = {}
        for item in self.course_sales:
            day = timezone.localdate(item.order.paid_at)
            purchases += 1
            by_currency[item.order.currency] += item.amount
            entry = by_course.setdefault((item.course_id, item.order.currency), [item.name, 0, Decimal(0)])
            entry[1] += 1
            entry[2] += item.amount
            daily[item.order.currency][day] += item.amount
        main = max(by_currency, key=lambda c: by_currency[c], default=self._default_currency())
        return {
            "purchases": purchases,
            "totals": [
                {"currency": c, "amount": a, "display": format_money(a, c)}
                for c, a in sorted(by_currency.items())
            ],
            "by_tier": [
                {
                    "tier": str(self.tiers.get(tier_id, f"tier {tier_id}")),
                    "currency": currency,
                    "purchases": n,
                    "amount": amount,
                    "display": format_money(amount, currency),
                }
                for (tier_id, currency), (n, amount) in sorted(
                    by_tier.items(), key=lambda item: getattr(self.tiers.get(item[0][0]), "rank", 999)
                )
            ],
            "by_course": [
                {
                    "course": name,
                    "currency": currency,
                    "purchases": n,
                    "amount": amount,
                    "display": format_money(amount, currency),
                }
                for (_course_id, currency), (name, n, amount) in sorted(
                    by_course.items(), key=lambda item: -item[1][2]
                )
            ],
            "currency": main,
            "daily": [(d, daily[main].get(d, Decimal(0))) for d in self.dates],
        }

    @cached_property
    def course_sales(self) -> list[OrderItem]:
        """Courses sold on their own in the range (paid, by the day they were paid), beside
        the tiers' revenue. Read from the orders: a sale is a financial record already."""
        start, _ = rollups.day_bounds(self.first_day)
        _, end = rollups.day_bounds(self.today)
        items = OrderItem.objects.filter(
            kind=ItemKind.COURSE, order__paid_at__gte=start, order__paid_at__lt=end
        ).select_related("order")
        if not self.scope.whole_site:
            items = items.filter(course_id__in=self.scope.course_ids)
        return list(items)

    def _default_currency(self) -> str:
        paid = [t for t in self.tiers.values() if not t.is_free]
        return paid[0].currency if paid else "VND"

    @cached_property
    def course_counts(self) -> dict:
        from learning.models import CoursePage

        pages = CoursePage.objects.all()
        if not self.scope.whole_site:
            pages = pages.filter(pk__in=self.scope.course_ids)
        counts = pages.aggregate(
            published=Count("pk", filter=Q(live=True)), drafts=Count("pk", filter=Q(live=False))
        )
        through = CoursePage.instructors.through.objects.filter(coursepage_id__in=pages.values("pk"))
        counts["instructors"] = through.values("user_id").distinct().count()
        return counts

    @cached_property
    def videos(self) -> dict:
        from learning.models import LessonPage
        from media_pipeline.models import Video

        videos = Video.objects.all()
        if not self.scope.whole_site:
            lessons = LessonPage.objects.none()
            for course in self.courses.values():
                lessons = lessons | LessonPage.objects.descendant_of(course)
            videos = videos.filter(pk__in=lessons.exclude(video=None).values("video_id"))
        figures = videos.aggregate(
            count=Count("pk"),
            seconds=Sum("duration_seconds"),
            storage=Sum("output_size"),
            queue=Count("pk", filter=Q(status__in=["queued", "processing"])),
        )
        figures["hours"] = round((figures.pop("seconds") or 0) / 3600, 1)
        figures["storage"] = figures["storage"] or 0
        return figures

    @cached_property
    def funnel(self) -> list[dict]:
        if self.scope.whole_site:
            steps = [
                ("Visitors", _sum(self.site_rows, "visitors")),
                ("Registrations", _sum(self.site_rows, "registrations")),
                ("Preview views", _sum(self.site_rows, "preview_views")),
                ("Purchases", _sum(self.site_rows, "purchases")),
            ]
        else:
            steps = [
                ("Course visitors", self._course_total("visitors")),
                ("Preview views", self._course_total("preview_views")),
                ("Enrollments", self._course_total("enrollments")),
                ("Completions", self._course_total("completions")),
            ]
        first = steps[0][1] or 0
        result = []
        for index, (label, value) in enumerate(steps):
            previous = steps[index - 1][1] if index else None
            result.append(
                {
                    "label": label,
                    "value": value,
                    "of_first": round(100 * value / first, 1) if first else 0,
                    "of_previous": round(100 * value / previous, 1) if previous else None,
                }
            )
        return result

    @cached_property
    def top_courses(self) -> list[dict]:
        totals = self.course_totals
        ranked = sorted(
            (item for item in totals.items() if item[0] in self.courses),
            key=lambda item: (-item[1]["enrollments"], -item[1]["learner_days"], item[0]),
        )[:TOP_COURSES]
        return [
            {
                "id": course_id,
                "title": self.courses[course_id].title,
                "enrollments": t["enrollments"],
                "active_learners": round((t["learner_days"] or 0) / self.days, 1),
                "completions": t["completions"],
                "visitors": t["visitors"],
            }
            for course_id, t in ranked
        ]

    @cached_property
    def active_today(self) -> dict:
        row = self.today_row
        if self.scope.whole_site:
            return {
                "users": row.active_users if row else 0,
                "visitors": row.visitors if row else 0,
                "as_of": row.computed_at if row else None,
            }
        today = (
            self._course_rollups()
            .filter(day=self.today)
            .aggregate(learners=Sum("active_learners"), visitors=Sum("visitors"))
        )
        learners, visitors = today["learners"] or 0, today["visitors"] or 0
        return {"users": learners, "visitors": visitors, "as_of": row.computed_at if row else None}

    @cached_property
    def daily_activity(self) -> list[tuple[date, int]]:
        """Visitors per day (site) or course visitors per day (instructor), for a chart."""
        if self.scope.whole_site:
            per_day = {row.day: row.visitors for row in self.site_rows}
        else:
            per_day = dict(
                self._course_rollups()
                .values("day")
                .annotate(n=Sum("visitors"))
                .order_by()
                .values_list("day", "n")
            )
        return [(d, per_day.get(d, 0)) for d in self.dates]


def course_detail(course, days: int, today: date | None = None) -> dict:
    """One course: daily enrollments over the range and per-lesson drop-off.

    Drop-off counts, for each lesson in outline order, how many of the course's enrolled
    learners reached it (have any progress row) and completed it: one grouped query over
    the course's lesson progress (indexed by lesson).
    """
    from learning.models import Enrollment, LessonPage, LessonProgress

    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    rollups.ensure_today_fresh(settings.ANALYTICS_TODAY_MAX_AGE_SECONDS)
    rows = {
        r.day: r
        for r in DailyCourseRollup.objects.filter(course_id=course.pk, day__gte=first, day__lte=today)
    }
    dates = [first + timedelta(days=n) for n in range(days)]
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path").only("id", "title", "path"))
    enrolled = Enrollment.objects.filter(course=course)
    progress = {
        row["lesson_id"]: row
        for row in LessonProgress.objects.filter(
            lesson__in=[lesson.pk for lesson in lessons], user__in=enrolled.values("user_id")
        )
        .values("lesson_id")
        .annotate(reached=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by()
    }
    total = enrolled.count()
    return {
        "enrolled_total": total,
        "completed_total": enrolled.filter(status="completed").count(),
        "trend": [(d, rows[d].enrollments if d in rows else 0) for d in dates],
        "range_enrollments": sum(r.enrollments for r in rows.values()),
        "range_completions": sum(r.completions for r in rows.values()),
        "range_visitors": sum(r.visitors for r in rows.values()),
        "lessons": [
            {
                "title": lesson.title,
                "reached": progress.get(lesson.pk, {}).get("reached", 0),
                "completed": progress.get(lesson.pk, {}).get("completed", 0),
                "reached_percent": round(100 * progress.get(lesson.pk, {}).get("reached", 0) / total)
                if total
                else 0,
                "completed_percent": round(100 * progress.get(lesson.pk, {}).get("completed", 0) / total)
                if total
                else 0,
            }
            for lesson in lessons
        ],
    }
