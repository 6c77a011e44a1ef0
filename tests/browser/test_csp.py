"""Every kind of page works in chromium under the Content-Security-Policy production
sends: the home page, a course, a lesson whose video plays (hls.js through Media Source
Extensions, and the browser's own HLS), a quiz that submits, the live session page, and
the admin home with its stats charts. A listener added before any page script records
each `securitypolicyviolation` event; none may happen, no console error either, and no
request may leave the test server (the admin dashboard's update check included)."""

import os
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.test import Client
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from analytics import rollups
from analytics.models import Event, EventKind
from learning.models import Enrollment

from ..live.factories import LiveSessionFactory
from ..media_pipeline.playback_support import lesson_with_video
from ..quizzes.conftest import QUIZ_ID
from ..quizzes.factories import lesson_with_quiz, quiz, sql_questions
from .playwright_fixtures import browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.environ.get("CSP_SHOTS_DIR")  # set to keep screenshots for a human look

# Runs before any script of the page: every violation is handed to the test at once,
# so one on a page the test leaves a moment later is not lost.
LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__lecternCspViolation({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: event.sourceFile,
        line: event.lineNumber,
        sample: event.sample,
        disposition: event.disposition,
    });
});
"""


class Watch:
    """What a browser context did that a strict policy or an offline site must not do."""

    def __init__(self, context, base: str):
        self.base = base
        self.violations: list[dict] = []
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        context.expose_binding(
            "__lecternCspViolation",
            lambda source, v: self.violations.append({**v, "page": source["page"].url}),
        )
        context.add_init_script(LISTENER)
        context.on("request", self._request)
        context.on("page", self._page)

    def _request(self, request):
        if urlsplit(request.url).scheme in {"http", "https", "ws", "wss"} and not request.url.startswith(
            self.base
        ):
            self.foreign_requests.append(request.url)

    def _page(self, page):
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: {error}"))

    def _console(self, page, message):
        if message.type == "error":
            self.console_errors.append(f"{page.url}: {message.text}")

    def assert_clean(self):
        assert not self.violations, "\n".join(map(repr, self.violations))
        assert not self.console_errors, self.console_errors
        assert not self.foreign_requests, self.foreign_requests


@pytest.fixture
def watched(chromium, live_server):
    with browser_context(chromium) as context:
        watch = Watch(context, live_server.url)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page, watch


def _log_in(page, base, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


def _open(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1).split()
    return script_src


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _play(page, engine):
    page.get_by_role("button", name="Play video").click()
    page.wait_for_function(
        "() => { const v = document.querySelector('.player__video');"
        " return v && v.currentTime > 2 && v.videoWidth > 0; }",
        timeout=40_000,
    )
    assert page.locator("[data-player]").get_attribute("data-active-engine") == engine
    page.locator(".player__video").evaluate("v => v.pause()")


@pytest.fixture
def gold_lesson(catalog, tiers):
    return lesson_with_video(catalog, tier=tiers["gold"], title="Indexes under a strict policy")


@pytest.fixture
def other_lesson(catalog, tiers):
    return lesson_with_video(catalog, tier=tiers["gold"], title="Plans under a strict policy")


@pytest.fixture
def quiz_lesson(gold_lesson):
    return lesson_with_quiz(
        gold_lesson.get_parent().get_parent().specific,
        quiz(sql_questions(), block_id=QUIZ_ID, time_limit_minutes=15),
        title="Grouping rows",
    )


@pytest.fixture
def live_session(gold_lesson, gold, instructor):
    course = gold_lesson.get_parent().get_parent().specific
    Enrollment.objects.create(user=gold, course=course)
    return LiveSessionFactory(
        course=course,
        created_by=instructor,
        title="Office hours",
        starts_at=(timezone.now() + timedelta(minutes=5)).replace(second=0, microsecond=0),
    )


def test_learner_pages_play_and_submit_with_no_policy_violation(
    watched, live_server, gold, gold_lesson, other_lesson, quiz_lesson, live_session
):
    page, watch = watched
    base = live_server.url
    course = gold_lesson.get_parent().get_parent().specific
    _log_in(page, base, gold)

    script_src = _open(page, base + "/")
    assert "'unsafe-inline'" not in script_src and any(s.startswith("'nonce-") for s in script_src)
    _shot(page, "home")
    _open(page, base + course.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    expect(page.get_by_role("region", name="Upcoming live sessions")).to_contain_text("Office hours")
    _shot(page, "course")

    # hls.js: Media Source Extensions (a blob: media URL) and a worker made from a blob.
    _open(page, base + gold_lesson.url + "?player=hlsjs")
    _play(page, "hlsjs")
    assert page.evaluate("() => document.querySelector('.player__video').src").startswith("blob:")
    _shot(page, "lesson-hlsjs")

    # Another lesson for the browser's own HLS, so this viewing starts its own progress.
    _open(page, base + other_lesson.url)
    _play(page, "native")
    _shot(page, "lesson-native")

    _open(page, base + quiz_lesson.url)
    page.get_by_role("button", name="Start quiz").click()
    expect(page.locator("[data-quiz-timer-left]")).to_contain_text("left")  # quiz.js runs
    for answer in ("HAVING", "count()", "sum()", "avg()", "LEFT JOIN"):
        page.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.locator(".quiz-score__figure")).to_be_visible()
    _shot(page, "quiz-result")

    _open(page, base + f"/live/{live_session.pk}/")
    expect(page.get_by_role("link", name="Join the session")).to_be_visible()
    # live.js rewrote the time in the reader's zone, keeping the session's own as the title.
    expect(page.locator("time[data-live-time]").first).to_have_attribute("title", re.compile(r"\S"))
    _shot(page, "live-session")

    page.wait_for_timeout(300)  # a late violation report still arrives
    watch.assert_clean()

    # The listener does hear what the policy blocks: an injected inline script.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.ran") is None
    assert [v["directive"] for v in watch.violations] == ["script-src-elem"]


@pytest.fixture
def activity(gold_lesson, gold):
    """Two weeks of visits and an enrollment a day, rolled up, so the charts have bars."""
    course = gold_lesson.get_parent().get_parent().specific
    today = timezone.localdate()
    events = []
    for back in range(14):
        when = timezone.make_aware(datetime.combine(today - timedelta(days=back), time(10)))
        events += [
            Event(kind=EventKind.PAGE_VIEW, created_at=when, visitor=f"v{back}-{n}") for n in range(back + 3)
        ]
        events.append(Event(kind=EventKind.ENROLLMENT, created_at=when, user=gold, course_id=course.pk))
    Event.objects.bulk_create(events)
    rollups.rollup_range(today - timedelta(days=13), today)


def test_admin_home_draws_its_charts_with_no_policy_violation_or_outside_call(
    watched, live_server, admin_user, activity
):
    page, watch = watched
    base = live_server.url
    _log_in(page, base, admin_user)
    _open(page, base + "/admin/")
    chart = page.locator("svg.analytics-chart__svg").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 300
    expect(page.locator("[data-controller~='w-upgrade']")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    _shot(page, "admin-home")
    watch.assert_clean()


def test_page_editor_preview_live_session_form_and_userbar_work_under_their_policies(
    watched, live_server, admin_user, gold_lesson
):
    page, watch = watched
    base = live_server.url
    _log_in(page, base, admin_user)

    # The page editor (StreamField, rich text) and its preview panel, which frames an
    # admin view: allowed by the admin policy's frame-ancestors 'self'.
    _open(page, base + f"/admin/pages/{gold_lesson.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(gold_lesson.title)
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("iframe[title='Preview']").last
    expect(preview.get_by_role("heading", level=1)).to_have_text(gold_lesson.title, timeout=20_000)
    _shot(page, "admin-page-editor")

    # A form with Wagtail's date-time widgets, which set themselves up with inline scripts.
    _open(page, base + "/admin/live/sessions/new/")
    expect(page.locator("#id_starts_at")).to_be_visible()
    _shot(page, "admin-live-form")

    # The userbar staff see on public pages loads under the public policy.
    _open(page, base + gold_lesson.url)
    expect(page.locator("wagtail-userbar")).to_be_attached()
    page.wait_for_load_state("networkidle")
    _shot(page, "lesson-with-userbar")

    page.wait_for_timeout(300)
    watch.assert_clean()
