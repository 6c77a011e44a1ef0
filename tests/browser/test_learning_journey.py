"""A learner enrolls in a sequential course, reads the first lesson, marks it done, and
sees the tick, the unlocked next lesson and the progress move on the course page and
on My learning — in a real browser, without the video player."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def sequential_course(catalog):
    course = CoursePageFactory(parent=catalog, title="SQL step by step", is_sequential=True)
    module = ModulePageFactory(parent=course, title="Basics")
    lessons = [
        LessonPageFactory(parent=module, title=title, body=[("paragraph", f"<p>{text}</p>")])
        for title, text in (
            ("Selecting rows", "SELECT picks the columns you want."),
            ("Filtering rows", "WHERE keeps the rows you want."),
            ("Sorting rows", "ORDER BY sorts them."),
        )
    ]
    return course, lessons


def _log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def _row(page, title):
    return page.locator("li.lesson-row", has=page.get_by_role("link", name=title, exact=True))


def test_learner_enrolls_marks_a_lesson_done_and_sees_progress_move(
    live_server, page, sequential_course, learner
):
    course, (first, second, third) = sequential_course
    base = live_server.url
    _log_in(page, base, learner.email)

    page.goto(base + course.url)
    expect(_row(page, "Filtering rows")).to_have_class(re.compile("lesson-row--locked"))
    page.get_by_role("button", name="Enroll for free").click()
    expect(page.get_by_text("You are enrolled in SQL step by step")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")

    # A locked lesson says which lesson to finish first.
    response = page.goto(base + second.url)
    assert response.status == 403
    expect(page.get_by_role("heading", name="Finish “Selecting rows” first")).to_be_visible()
    page.get_by_role("link", name="Go to “Selecting rows”").click()

    expect(page.get_by_text("SELECT picks the columns you want.")).to_be_visible()
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Lesson complete")).to_be_visible()

    page.goto(base + course.url)
    expect(_row(page, "Selecting rows")).to_have_class(re.compile("lesson-row--done"))
    expect(_row(page, "Filtering rows")).not_to_have_class(re.compile("lesson-row--locked"))
    expect(_row(page, "Sorting rows")).to_have_class(re.compile("lesson-row--locked"))
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "33")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Filtering rows")

    page.get_by_role("link", name="My learning").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    expect(page.get_by_text("1 of 3 lessons done")).to_be_visible()
    expect(page.locator(".enrolled [role=progressbar]")).to_have_attribute("aria-valuenow", "33")
    expect(page.locator(".enrolled__next")).to_contain_text("Next: Filtering rows")
    page.locator(".enrolled").get_by_role("link", name=re.compile("Continue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Filtering rows")

    # The enrollment notice waits in the header's notifications.
    page.get_by_role("link", name=re.compile("Notifications")).click()
    expect(page.get_by_text("You are enrolled in SQL step by step")).to_be_visible()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("You are all caught up.")).to_be_visible()


def test_learner_watches_a_short_lesson_to_the_end_and_the_tick_and_progress_move(
    live_server, page, catalog, learner
):
    """The real player at 2x speed: its heartbeats carry what was played, the server
    merges them, and at >= 90 % of the Video's duration the lesson completes."""
    from learning.models import LessonProgress

    from ..media_pipeline.playback_support import CLIP_SECONDS, lesson_with_video

    lesson = lesson_with_video(catalog, title="A short clip", heights=(360,), captions=False)
    course = lesson.course
    base = live_server.url
    _log_in(page, base, learner.email)
    page.goto(base + course.url)
    page.get_by_role("button", name="Enroll for free").click()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")

    page.goto(base + lesson.url)
    expect(page.locator("#lesson-watched [role=progressbar]")).to_have_attribute("aria-valuenow", "0")
    page.get_by_role("button", name="Play video").click()
    page.wait_for_function(
        "() => { const v = document.querySelector('.player__video'); return v && v.currentTime > 0.3; }"
    )
    page.evaluate("() => { document.querySelector('.player__video').playbackRate = 2; }")
    # The player beats on "ended"; the page redraws the tick from the answer.
    expect(page.locator("[data-lesson-state]")).to_contain_text(
        "Lesson complete", timeout=CLIP_SECONDS * 1000 + 20_000
    )
    percent = int(page.locator("#lesson-watched [role=progressbar]").get_attribute("aria-valuenow"))
    assert percent >= 90

    progress = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert progress.completed_at is not None and progress.watched_seconds >= 0.9 * CLIP_SECONDS

    page.goto(base + course.url)
    expect(_row(page, "A short clip")).to_have_class(re.compile("lesson-row--done"))
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    page.goto(base + "/learning/")
    expect(page.locator(".enrolled [role=progressbar]")).to_have_attribute("aria-valuenow", "100")
