"""The stats panels on the admin home: what an admin, an editor and an instructor see."""

import csv
import io
import re
from decimal import Decimal

from django.urls import reverse

import pytest

from analytics import rollups
from analytics.models import EventKind
from analytics.panels import PANELS

from .conftest import at, event

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")


@pytest.fixture
def activity(yesterday, course, other_course, silver, tiers):
    when = at(yesterday)
    for n in range(3):
        event(EventKind.PAGE_VIEW, when, visitor=f"v{n}", course_id=course.pk)
    event(EventKind.PAGE_VIEW, when, visitor="w", course_id=other_course.pk)
    event(EventKind.ENROLLMENT, when, user=silver, course_id=course.pk)
    event(EventKind.ENROLLMENT, when, user=silver, course_id=other_course.pk)
    event(EventKind.ENROLLMENT, when, user=silver, course_id=other_course.pk)
    event(EventKind.PREVIEW_VIEW, when, visitor="v1", course_id=course.pk)
    event(EventKind.REGISTRATION, when, user=silver)
    event(
        EventKind.PURCHASE,
        when,
        user=silver,
        tier_id=tiers["silver"].pk,
        amount=Decimal("199000"),
        currency="VND",
    )
    rollups.rollup_day(yesterday)


def _panel_ids(html):
    return set(re.findall(r'id="(analytics-[a-z-]+)-section"', html))


def test_admin_sees_every_panel(client, admin_user, activity, course, other_course):
    client.force_login(admin_user)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert _panel_ids(html) == {
        "analytics-range",
        "analytics-users",
        "analytics-active-today",
        "analytics-courses",
        "analytics-videos",
        "analytics-revenue",
        "analytics-funnel",
        "analytics-top-courses",
        "analytics-system",
        "analytics-backup",
    }
    assert len(PANELS) == 10
    assert course.title in html and other_course.title in html
    assert "199.000 ₫" in html
    assert "analytics.css" in html


def test_system_and_backup_panels_say_no_data_yet_without_samples(client, admin_user, activity):
    client.force_login(admin_user)
    html = client.get(HOME).content.decode()
    assert "No data yet: the first sample" in html
    assert "No data yet: no backup has run." in html


def test_funnel_shows_visitors_registrations_previews_purchases(client, admin_user, activity):
    client.force_login(admin_user)
    funnel = client.get(HOME).context["panels"]
    dashboard = next(p for p in funnel if p.name == "analytics_funnel").dashboard
    assert [(s["label"], s["value"]) for s in dashboard.funnel] == [
        ("Visitors", 4),
        ("Registrations", 1),
        ("Preview views", 1),
        ("Purchases", 1),
    ]


def test_top_courses_rank_by_enrollments_and_link_to_the_course_page(
    client, admin_user, activity, course, other_course
):
    client.force_login(admin_user)
    html = client.get(HOME).content.decode()
    first, second = html.index(other_course.title), html.index(course.title)
    assert first < second  # two enrollments before one
    assert reverse("analytics_admin:course", args=[course.pk]) in html


def test_instructor_sees_only_their_own_courses(
    client, instructor, admin_access, activity, course, other_course
):
    client.force_login(instructor)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert course.title in html
    assert other_course.title not in html
    assert _panel_ids(html) == {
        "analytics-range",
        "analytics-users",
        "analytics-active-today",
        "analytics-courses",
        "analytics-videos",
        "analytics-funnel",
        "analytics-top-courses",
    }
    assert "₫" not in html  # no revenue, not even a total


def test_instructor_funnel_follows_their_courses(client, instructor, admin_access, activity):
    client.force_login(instructor)
    panels = client.get(HOME).context["panels"]
    dashboard = next(p for p in panels if p.name == "analytics_funnel").dashboard
    assert [(s["label"], s["value"]) for s in dashboard.funnel] == [
        ("Course visitors", 3),
        ("Preview views", 1),
        ("Enrollments", 1),
        ("Completions", 0),
    ]
    assert dashboard.course_counts == {"published": 1, "drafts": 0, "instructors": 1}


def test_editor_sees_the_whole_site_but_no_revenue_or_system(client, editor, activity, other_course):
    client.force_login(editor)
    html = client.get(HOME).content.decode()
    assert other_course.title in html
    ids = _panel_ids(html)
    assert "analytics-revenue" not in ids
    assert "analytics-system" not in ids and "analytics-backup" not in ids


def test_staff_without_courses_sees_no_stats(client, other_instructor, admin_access, activity):
    from learning.models import CoursePage

    CoursePage.instructors.through.objects.filter(user=other_instructor).delete()
    client.force_login(other_instructor)
    response = client.get(HOME)
    assert response.status_code == 200
    assert not _panel_ids(response.content.decode())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7),
        ("30", 30),
        ("90", 90),
        ("", 30),
        ("abc", 30),
        ("365", 30),
        ("-7", 30),
        ("7.5", 30),
        ("9" * 400, 30),
    ],
)
def test_range_picker_accepts_7_30_90_and_falls_back_to_30(client, admin_user, activity, value, expected):
    client.force_login(admin_user)
    response = client.get(HOME, {"range": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{expected}" selected>' in html
    assert html.count(" selected>") == 1


def test_range_changes_the_figures(client, admin_user, activity, yesterday, course):
    from datetime import timedelta

    twenty_days_ago = yesterday - timedelta(days=19)
    event(EventKind.ENROLLMENT, at(twenty_days_ago), user=admin_user, course_id=course.pk)
    rollups.rollup_day(twenty_days_ago)
    client.force_login(admin_user)

    def funnel_and_course(days):
        panels = client.get(HOME, {"range": days}).context["panels"]
        dashboard = next(p for p in panels if p.name == "analytics_top_courses").dashboard
        enrollments = {c["id"]: c["enrollments"] for c in dashboard.top_courses}
        return len(dashboard.dates), enrollments[course.pk]

    assert funnel_and_course("7") == (7, 1)
    assert funnel_and_course("30") == (30, 2)


def test_charts_are_svg_with_title_desc_and_a_table(client, admin_user, activity):
    client.force_login(admin_user)
    html = client.get(HOME).content.decode()
    svgs = re.findall(r'<svg viewBox[^>]*class="analytics-chart__svg".*?</svg>', html, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg
        assert "<title id=" in svg and "<desc id=" in svg
    assert "Revenue per day (VND): 199.000 ₫ in total over 30 days" in html
    assert html.count("figures as a table</summary>") == 2
    assert "cdn" not in html.lower() and '<script src="http' not in html


def test_csv_export_has_the_panels_figures(client, admin_user, activity, course, tiers):
    client.force_login(admin_user)
    response = client.get(reverse("analytics_admin:export"), {"range": "7"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"] and "7d" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "figure", "item", "value"]
    assert ["range", "days", "", "7"] in rows
    assert ["revenue", "total", "VND", "199000.00"] in rows
    assert ["funnel", "Visitors", "", "4"] in rows
    assert ["top courses", "enrollments", course.title, "1"] in rows


def test_instructor_csv_has_no_revenue_and_no_other_course(
    client, instructor, admin_access, activity, other_course
):
    client.force_login(instructor)
    text = client.get(reverse("analytics_admin:export"), {"range": "bogus"}).content.decode()
    assert "revenue" not in text
    assert other_course.title not in text
    assert "range,days,,30" in text


def test_export_refuses_visitors_and_learners(client, learner, activity):
    response = client.get(reverse("analytics_admin:export"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(learner)
    response = client.get(reverse("analytics_admin:export"))
    assert response.status_code in (302, 403)
