"""Instructor earnings: one statement per instructor per month, computed from the books.

Two parts:
- **Course sales.** Every course item paid in the month, net of what was refunded on its
  order (in proportion to the item's share of the order), split equally among the
  course's instructors; the instructor earns INSTRUCTOR_COURSE_SALES_SHARE_PERCENT of it.
- **Subscription share.** INSTRUCTOR_SUBSCRIPTION_SHARE_PERCENT of the month's net
  subscription revenue (tier items paid in the month, net of refunds) is a pool shared by
  the minutes learners watched in each course that month (`learning.CourseWatchDay`); a
  course's minutes are split equally among its instructors.

Only orders in EARNINGS_CURRENCY count (Lectern sells in đồng). Nothing is stored: a
statement is recomputed from orders and watch time, so a late refund shows on the next
read. Amounts are rounded to the currency's unit only at the end of each line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from learning.models import CoursePage, CourseWatchDay
from memberships.models import ItemKind, OrderItem
from memberships.money import quantize

HUNDRED = Decimal(100)


@dataclass
class CourseLine:
    course: CoursePage
    sales: int = 0
    net_sales: Decimal = Decimal(0)
    instructors: int = 1
    minutes: Decimal = Decimal(0)
    earned_from_sales: Decimal = Decimal(0)


@dataclass
class Statement:
    instructor: object
    month: date
    currency: str
    course_share_percent: int
    subscription_share_percent: int
    lines: list[CourseLine] = field(default_factory=list)
    subscription_revenue: Decimal = Decimal(0)
    subscription_pool: Decimal = Decimal(0)
    minutes_all_courses: Decimal = Decimal(0)
    minutes_own_courses: Decimal = Decimal(0)
    earned_from_sales: Decimal = Decimal(0)
    earned_from_subscriptions: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.earned_from_sales + self.earned_from_subscriptions


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(month.replace(day=1), time.min))
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, timezone.make_aware(datetime.combine(following, time.min))


def _net(item: OrderItem) -> Decimal:
    """The item's amount less its share of what was refunded on its order."""
    order = item.order
    if not order.refunded_amount or not order.amount:
        return item.amount
    return item.amount - order.refunded_amount * item.amount / order.amount


def _paid_items(month: date, kind: str):
    start, end = month_bounds(month)
    return OrderItem.objects.filter(
        kind=kind,
        order__paid_at__gte=start,
        order__paid_at__lt=end,
        order__currency=settings.EARNINGS_CURRENCY,
    ).select_related("order")


def _instructor_counts(course_ids) -> dict[int, int]:
    through = CoursePage.instructors.through
    rows = (
        through.objects.filter(coursepage_id__in=course_ids).values("coursepage_id").annotate(n=Count("id"))
    )
    return {row["coursepage_id"]: row["n"] for row in rows}


def statement(instructor, month: date) -> Statement:
    currency = settings.EARNINGS_CURRENCY
    result = Statement(
        instructor=instructor,
        month=month.replace(day=1),
        currency=currency,
        course_share_percent=settings.INSTRUCTOR_COURSE_SALES_SHARE_PERCENT,
        subscription_share_percent=settings.INSTRUCTOR_SUBSCRIPTION_SHARE_PERCENT,
    )
    courses = {c.pk: c for c in CoursePage.objects.filter(instructors=instructor).order_by("title")}
    counts = _instructor_counts(courses)
    lines = {pk: CourseLine(course=c, instructors=max(counts.get(pk, 1), 1)) for pk, c in courses.items()}

    for item in _paid_items(month, ItemKind.COURSE).filter(course_id__in=courses):
        line = lines[item.course_id]
        line.sales += 1
        line.net_sales += _net(item)

    revenue = sum((_net(item) for item in _paid_items(month, ItemKind.TIER)), Decimal(0))
    result.subscription_revenue = quantize(revenue, currency)
    result.subscription_pool = revenue * result.subscription_share_percent / HUNDRED

    start, end = month_bounds(month)
    watched = CourseWatchDay.objects.filter(day__gte=start.date(), day__lt=end.date())
    all_seconds = watched.aggregate(total=Sum("seconds"))["total"] or 0
    own_seconds = defaultdict(float)
    for row in watched.filter(course_id__in=courses).values("course_id").annotate(total=Sum("seconds")):
        own_seconds[row["course_id"]] = row["total"]

    own_minutes = Decimal(0)
    for pk, line in lines.items():
        line.minutes = Decimal(str(own_seconds[pk])) / 60 / line.instructors
        own_minutes += line.minutes
        line.earned_from_sales = quantize(
            line.net_sales / line.instructors * result.course_share_percent / HUNDRED, currency
        )
        line.net_sales = quantize(line.net_sales, currency)
        line.minutes = line.minutes.quantize(Decimal("0.1"))
    result.lines = list(lines.values())
    result.minutes_all_courses = (Decimal(str(all_seconds)) / 60).quantize(Decimal("0.1"))
    result.minutes_own_courses = own_minutes.quantize(Decimal("0.1"))
    result.earned_from_sales = sum((line.earned_from_sales for line in result.lines), Decimal(0))
    if all_seconds:
        share = result.subscription_pool * own_minutes * 60 / Decimal(str(all_seconds))
        result.earned_from_subscriptions = quantize(share, currency)
    else:
        result.earned_from_subscriptions = quantize(Decimal(0), currency)
    result.subscription_pool = quantize(result.subscription_pool, currency)
    return result


def csv_rows(statement: Statement) -> list[list[str]]:
    """The statement as rows for a CSV file (one row per course, then the totals)."""
    rows = [["course", "sales", "net sales", "instructors", "minutes watched", "earned from sales"]]
    for line in statement.lines:
        rows.append(
            [
                line.course.title,
                str(line.sales),
                str(line.net_sales),
                str(line.instructors),
                str(line.minutes),
                str(line.earned_from_sales),
            ]
        )
    rows += [
        [],
        ["subscription revenue", str(statement.subscription_revenue)],
        [f"subscription pool ({statement.subscription_share_percent} %)", str(statement.subscription_pool)],
        ["minutes watched, all courses", str(statement.minutes_all_courses)],
        ["minutes watched, own courses", str(statement.minutes_own_courses)],
        ["earned from subscriptions", str(statement.earned_from_subscriptions)],
        [f"earned from course sales ({statement.course_share_percent} %)", str(statement.earned_from_sales)],
        ["total", str(statement.total), statement.currency],
    ]
    return rows
