"""Instructor earnings: the arithmetic of a month's statement, and who may see which."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.test import Client
from django.utils import timezone

import pytest

from earnings.statements import statement
from learning.models import CourseWatchDay
from memberships.models import Order
from memberships.payments import manual_provider, orders, refunds

from ..factories import CoursePageFactory, UserFactory

pytestmark = pytest.mark.django_db

NOVEMBER = date(2026, 11, 1)
IN_NOVEMBER = timezone.make_aware(datetime(2026, 11, 15, 10, 0))
IN_OCTOBER = timezone.make_aware(datetime(2026, 10, 31, 23, 0))


@pytest.fixture
def shares(settings):
    settings.INSTRUCTOR_COURSE_SALES_SHARE_PERCENT = 70
    settings.INSTRUCTOR_SUBSCRIPTION_SHARE_PERCENT = 30
    settings.EARNINGS_CURRENCY = "VND"


@pytest.fixture
def courses(catalog, tiers, instructor, other_instructor):
    solo = CoursePageFactory(
        parent=catalog, title="Excel cho kế toán", required_tier=tiers["gold"], price=1_000_000
    )
    solo.instructors.add(instructor)
    shared = CoursePageFactory(
        parent=catalog, title="Thiết kế UX", required_tier=tiers["gold"], price=600_000
    )
    shared.instructors.add(instructor, other_instructor)
    theirs = CoursePageFactory(parent=catalog, title="Marketing", required_tier=tiers["gold"], price=500_000)
    theirs.instructors.add(other_instructor)
    for course in (solo, shared, theirs):
        course.save_revision().publish()
    return {"solo": solo, "shared": shared, "theirs": theirs}


def paid(order, admin_user, at):
    order = manual_provider.confirm(order, actor=admin_user)
    Order.objects.filter(pk=order.pk).update(paid_at=at)
    order.refresh_from_db()
    return order


def watched(course, minutes, day=date(2026, 11, 10)):
    CourseWatchDay.objects.create(user=UserFactory(), course=course, day=day, seconds=minutes * 60)


def test_statement_adds_own_course_sales_and_a_share_of_subscriptions_by_minutes(
    shares, courses, tiers, instructor, admin_user
):
    # Course sales in November: two of the solo course (one refunded by half), one of the shared.
    first = paid(orders.place_course_order(UserFactory(), courses["solo"], "manual"), admin_user, IN_NOVEMBER)
    paid(orders.place_course_order(UserFactory(), courses["solo"], "manual"), admin_user, IN_NOVEMBER)
    paid(orders.place_course_order(UserFactory(), courses["shared"], "manual"), admin_user, IN_NOVEMBER)
    refunds.refund_order(first, Decimal(500_000), actor=admin_user, end_access=False)
    # Not counted: another instructor's course, and a sale in October.
    paid(orders.place_course_order(UserFactory(), courses["theirs"], "manual"), admin_user, IN_NOVEMBER)
    paid(orders.place_course_order(UserFactory(), courses["solo"], "manual"), admin_user, IN_OCTOBER)
    # Subscriptions in November: Gold's price, twice.
    for _ in range(2):
        paid(orders.place_order(UserFactory(), tiers["gold"], "manual"), admin_user, IN_NOVEMBER)
    # Minutes watched in November: 300 solo, 200 shared (half ours), 400 theirs; October ignored.
    watched(courses["solo"], 300)
    watched(courses["shared"], 200)
    watched(courses["theirs"], 400)
    watched(courses["solo"], 1000, day=date(2026, 10, 30))

    result = statement(instructor, NOVEMBER)

    by_title = {line.course.title: line for line in result.lines}
    assert set(by_title) == {"Excel cho kế toán", "Thiết kế UX"}
    solo, shared = by_title["Excel cho kế toán"], by_title["Thiết kế UX"]
    assert (solo.sales, solo.net_sales, solo.earned_from_sales) == (2, Decimal(1_500_000), Decimal(1_050_000))
    assert (shared.sales, shared.instructors, shared.earned_from_sales) == (1, 2, Decimal(210_000))
    assert result.earned_from_sales == Decimal(1_260_000)

    gold_price = tiers["gold"].price
    assert result.subscription_revenue == 2 * gold_price
    assert result.subscription_pool == (2 * gold_price * Decimal("0.3")).quantize(Decimal(1))
    # Ours: 300 + 200 / 2 = 400 of 900 minutes.
    assert result.minutes_own_courses == Decimal("400.0") and result.minutes_all_courses == Decimal("900.0")
    expected_share = (2 * gold_price * Decimal("0.3") * 400 / 900).quantize(Decimal(1))
    assert result.earned_from_subscriptions == expected_share
    assert result.total == Decimal(1_260_000) + expected_share


def test_a_month_with_no_watching_shares_no_subscription_money(
    shares, courses, tiers, instructor, admin_user
):
    paid(orders.place_order(UserFactory(), tiers["gold"], "manual"), admin_user, IN_NOVEMBER)
    result = statement(instructor, NOVEMBER)
    assert result.earned_from_subscriptions == 0 and result.total == 0


def _admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_instructor_sees_only_their_own_statement_even_when_asking_for_another(
    shares, courses, instructor, other_instructor, admin_user
):
    paid(orders.place_course_order(UserFactory(), courses["theirs"], "manual"), admin_user, IN_NOVEMBER)
    client = _admin_client(instructor)
    page = client.get(f"/admin/earnings/?month=2026-11&instructor={other_instructor.pk}").content.decode()
    assert "Ines Instructor" in page and "Marketing" not in page and 'id="id_instructor"' not in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/admin/earnings/?month=2026-11&instructor={other_instructor.pk}&format=csv"
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert [row[0] for row in rows[1:3]] == ["Excel cho kế toán", "Thiết kế UX"]


def test_finance_staff_choose_any_instructor(shares, courses, other_instructor, admin_user):
    paid(orders.place_course_order(UserFactory(), courses["theirs"], "manual"), admin_user, IN_NOVEMBER)
    page = _admin_client(admin_user).get(f"/admin/earnings/?month=2026-11&instructor={other_instructor.pk}")
    text = page.content.decode()
    assert page.status_code == 200 and "Marketing" in text and "350.000 ₫" in text


def test_learners_and_visitors_never_see_earnings(shares, courses, learner, editor):
    assert Client().get("/admin/earnings/").status_code == 302
    assert _admin_client(learner).get("/admin/earnings/").status_code in (302, 403)
    # Staff who neither teach nor see orders are sent back to the admin's home.
    response = _admin_client(editor).get("/admin/earnings/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
