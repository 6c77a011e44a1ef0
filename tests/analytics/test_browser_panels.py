"""The stats panels in a real browser: charts draw, the range picker works, the
per-course page opens from the top-courses panel, and an instructor sees only theirs.

Set ANALYTICS_SHOTS=/some/dir to keep full-page screenshots of what was checked.
"""

import os
import random
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from analytics import rollups
from analytics.models import Event, EventKind
from learning.models import Enrollment, LessonPage, LessonProgress
from tests.browser.playwright_fixtures import browser_context
from tests.conftest import PASSWORD
from tests.factories import UserFactory

from .conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def month_of_activity(course, other_course, tiers, admin_access):
    """30 days of visits, previews, enrollments and Silver/Gold purchases, rolled up."""
    rng = random.Random(8)
    learners = [UserFactory() for _ in range(12)]
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    today = timezone.localdate()
    events = []
    for back in range(30):
        day = today - timedelta(days=back)
        for n in range(rng.randint(20, 60)):
            events.append(
                Event(
                    kind=EventKind.PAGE_VIEW,
                    created_at=at(day, 9 + n % 9),
                    visitor=f"{back}-{n % 25}",
                    course_id=rng.choice([course.pk, other_course.pk, None]),
                )
            )
        for _n in range(rng.randint(2, 8)):
            events.append(Event(kind=EventKind.PREVIEW_VIEW, created_at=at(day, 10), lesson_id=lessons[0].pk))
        for _n in range(rng.randint(0, 3)):
            events.append(
                Event(kind=EventKind.REGISTRATION, created_at=at(day, 11), user=rng.choice(learners))
            )
        for course_id in (course.pk, other_course.pk):
            for _n in range(rng.randint(0, 3)):
                events.append(
                    Event(
                        kind=EventKind.ENROLLMENT,
                        created_at=at(day, 12),
                        user=rng.choice(learners),
                        course_id=course_id,
                    )
                )
        if rng.random() < 0.5:
            tier = tiers[rng.choice(["silver", "gold"])]
            events.append(
                Event(
                    kind=EventKind.PURCHASE,
                    created_at=at(day, 13),
                    user=rng.choice(learners),
                    tier_id=tier.pk,
                    amount=Decimal(tier.price),
                    currency=tier.currency,
                )
            )
    Event.objects.bulk_create(events)
    for index, learner in enumerate(learners):
        Enrollment.objects.create(user=learner, course=course)
        for lesson in lessons[: 3 - index % 3]:
            LessonProgress.objects.create(
                user=learner, lesson=lesson, completed_at=timezone.now() if index % 2 else None
            )
    rollups.rollup_range(today - timedelta(days=29), today)


@pytest.fixture
def tab(chromium):
    with browser_context(chromium) as context:
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        yield tab


def _log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def _shot(page, name):
    folder = os.environ.get("ANALYTICS_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        # Wagtail's admin scrolls inside its own layout, so a tall viewport shows it all.
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"], "height": 3000})
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
        page.set_viewport_size(size)


def test_admin_sees_charts_and_opens_a_course_from_top_courses(
    live_server,
    tab,
    month_of_activity,
    admin_user,
    course,
):
    _log_in(tab, live_server.url, admin_user.email)
    tab.goto(live_server.url + "/admin/")
    chart = tab.locator("svg.analytics-chart__svg").first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 50
    assert tab.locator("#revenue-chart-title").count() == 1
    expect(tab.locator("#analytics-system-section")).to_be_visible()
    _shot(tab, "admin-home-superuser-30d")

    tab.get_by_label("Show the last").select_option("7")
    tab.get_by_role("button", name="Show", exact=True).click()
    expect(tab).to_have_url(re.compile(r"range=7"))
    expect(tab.locator("figcaption.analytics-chart__caption").first).to_contain_text("over 7 days")
    _shot(tab, "admin-home-superuser-7d")

    tab.locator("#analytics-top-courses-section").get_by_role("link", name=course.title).click()
    expect(tab.get_by_role("heading", name="Per-lesson drop-off")).to_be_visible()
    expect(tab.locator("svg.analytics-chart__svg")).to_be_visible()
    _shot(tab, "course-page-superuser")


def test_instructor_sees_only_their_course(
    live_server,
    tab,
    month_of_activity,
    instructor,
    course,
    other_course,
):
    _log_in(tab, live_server.url, instructor.email)
    tab.goto(live_server.url + "/admin/")
    expect(tab.locator("#analytics-top-courses-section")).to_contain_text(course.title)
    expect(tab.get_by_text(other_course.title)).to_have_count(0)
    expect(tab.locator("#analytics-revenue-section")).to_have_count(0)
    expect(tab.locator("#analytics-system-section")).to_have_count(0)
    _shot(tab, "admin-home-instructor")
    response = tab.goto(live_server.url + f"/admin/analytics/courses/{other_course.pk}/")
    assert response.status == 404
    tab.goto(live_server.url + f"/admin/analytics/courses/{course.pk}/")
    expect(tab.get_by_role("heading", name="Per-lesson drop-off")).to_be_visible()
    _shot(tab, "course-page-instructor")
