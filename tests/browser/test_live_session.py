"""An instructor schedules a Jitsi session in the Wagtail admin; a Gold learner enrolled
in the course gets the invitation, sees the session on "My learning" and the course
page, and joins through the platform — in chromium, with the meeting host intercepted."""

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core import mail

import pytest
from playwright.sync_api import expect

from learning.models import Enrollment
from live.models import Attendance, LiveSession
from notifications.models import EmailLog

from ..conftest import PASSWORD
from ..factories import CoursePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.environ.get("LIVE_SHOTS_DIR")  # set to keep screenshots for a human look


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.fixture
def gold_course(catalog, tiers, instructor, gold):
    course = CoursePageFactory(parent=catalog, title="Async Python in practice", required_tier=tiers["gold"])
    course.instructors.add(instructor)
    course.save()
    Enrollment.objects.create(user=gold, course=course)
    return course


def test_instructor_schedules_and_gold_learner_joins_through_the_platform(
    live_server, page, settings, gold_course, instructor, gold
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    base = live_server.url
    # A few minutes ahead: the session is in the future yet already open to join.
    start = (datetime.now(UTC) + timedelta(minutes=5)).replace(second=0, microsecond=0)
    end = start + timedelta(hours=1)

    _log_in(page, base, instructor.email)
    page.goto(base + "/admin/live/sessions/new/")
    page.locator("#id_course").select_option(label=gold_course.title)
    page.locator("#id_title").fill("Ask me anything: asyncio")
    page.locator("#id_description").fill("Bring the code that puzzles you.")
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%d %H:%M"))
    page.keyboard.press("Escape")
    page.locator("#id_ends_at").fill(end.strftime("%Y-%m-%d %H:%M"))
    page.keyboard.press("Escape")
    page.locator("#id_time_zone").select_option("UTC")
    page.locator("#id_capacity").fill("25")
    page.locator("#id_provider").select_option("jitsi")
    _shot(page, "admin-add-form")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("link", name="Ask me anything: asyncio")).to_be_visible()

    session = LiveSession.objects.get()
    assert (session.course_id, session.created_by, session.starts_at) == (gold_course.pk, instructor, start)
    assert session.provider_status == "ok"
    assert session.join_url.startswith("https://meet.jit.si/lectern-ask-me-anything-asyncio-")
    _shot(page, "admin-index")
    page.goto(base + f"/admin/live/sessions/edit/{session.pk}/")
    expect(page.get_by_text("Meeting status")).to_be_visible()
    expect(page.get_by_text("Ready", exact=True)).to_be_visible()
    page.get_by_text("Meeting status").scroll_into_view_if_needed()
    _shot(page, "admin-edit-form")

    # The learner's invitation: one email, with the calendar file, pointing at the platform.
    (message,) = [m for m in mail.outbox if m.to == [gold.email]]
    assert "Ask me anything: asyncio" in message.subject
    (attachment,) = message.attachments
    assert attachment[0] == "invite.ics" and attachment[2] == "text/calendar"
    assert f"{base}/live/{session.pk}/join/" in message.body
    assert EmailLog.objects.filter(to=gold.email, template="live_invitation", status="sent").exists()

    # The meeting host is outside: let the platform's join view answer for real, note
    # where it redirects, and show a stand-in page instead of following to that host.
    redirects = []

    def through_platform(route):
        response = route.fetch(max_redirects=0)
        redirects.append((response.status, response.headers.get("location")))
        route.fulfill(status=200, content_type="text/html", body="<title>Meeting</title><p>Meeting room</p>")

    page.context.route(re.compile(r".*/live/\d+/join/$"), through_platform)
    page.context.route("https://meet.jit.si/**", lambda route: route.abort())

    page.context.clear_cookies()
    _log_in(page, base, gold.email)
    page.goto(base + "/learning/")
    panel = page.get_by_role("region", name="Live sessions")
    expect(panel.get_by_role("link", name="Ask me anything: asyncio")).to_be_visible()
    # live.js rewrote the time in the browser's zone and says which zone that is.
    expect(panel.locator("[data-live-zone]")).not_to_have_text("")
    _shot(page, "dashboard")

    page.goto(base + gold_course.url)
    course_panel = page.get_by_role("region", name="Upcoming live sessions")
    expect(course_panel.get_by_text("Ask me anything: asyncio")).to_be_visible()
    _shot(page, "course-page")
    with page.context.expect_page() as meeting_tab:
        course_panel.get_by_role("link", name="Join now").click()
    meeting = meeting_tab.value
    meeting.wait_for_load_state()
    expect(meeting.get_by_text("Meeting room")).to_be_visible()
    assert redirects == [(302, session.join_url)]
    attendance = Attendance.objects.get(session=session, user=gold)
    assert attendance.join_count == 1 and attendance.left_at is None
    meeting.close()

    # From the session page: join again, then report leaving (sendBeacon).
    page.goto(base + f"/live/{session.pk}/")
    with page.context.expect_page() as meeting_tab:
        page.get_by_role("link", name="Join the session").click()
    meeting_tab.value.close()
    _shot(page, "session-page")
    page.get_by_role("button", name="I have left").click()
    expect(page.get_by_role("button", name="I have left")).to_be_hidden()
    for _ in range(50):
        attendance.refresh_from_db()
        if attendance.left_at:
            break
        page.wait_for_timeout(100)
    assert attendance.join_count == 2 and attendance.left_at is not None
