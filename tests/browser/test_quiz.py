"""A Gold learner takes a lesson's quiz in chromium: the page source holds no correct
answer before submission, the graded result shows the score and the explanations."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..quizzes.conftest import QUIZ_ID
from ..quizzes.factories import course, lesson_with_quiz, quiz, sql_questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def quiz_lesson(catalog, tiers):
    gold_course = course(catalog, title="Advanced SQL", required_tier=tiers["gold"])
    return lesson_with_quiz(
        gold_course, quiz(sql_questions(), block_id=QUIZ_ID, time_limit_minutes=15), title="Grouping rows"
    )


def _log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def _assert_no_answer_in(source: str):
    lowered = source.lower()
    assert "because" not in lowered  # explanations
    assert "correct" not in lowered  # flags, classes, labels


def test_gold_learner_takes_a_quiz_and_sees_the_graded_result(live_server, page, quiz_lesson, gold):
    base = live_server.url
    _log_in(page, base, gold.email)

    response = page.goto(base + quiz_lesson.url)
    assert response.status == 200
    _assert_no_answer_in(page.content())
    _assert_no_answer_in(response.text())

    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your understanding")
    expect(page.get_by_text("Which clause filters groups?")).to_be_visible()
    expect(page.locator("[data-quiz-timer-left]")).to_contain_text("left")  # the countdown runs
    # The source the server sent and the live DOM: no correct flag, no explanation.
    _assert_no_answer_in(page.content())
    _assert_no_answer_in(page.request.get(page.url).text())

    page.get_by_label("HAVING", exact=True).check()
    page.get_by_label("count()").check()
    page.get_by_label("sum()").check()
    page.get_by_label("avg()").check()
    page.get_by_label("INNER JOIN").check()  # wrong on purpose
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_text("Passed", exact=True)).to_be_hidden()
    expect(page.locator(".quiz-score__figure")).to_have_text("66.67 %")
    expect(page.locator(".quiz-score__verdict")).to_have_text("Not passed")
    # A failed attempt with attempts left shows no correct answer and no explanation.
    expect(page.get_by_text("BECAUSE a left join keeps every left row.")).to_have_count(0)
    expect(page.locator(".quiz-choice--correct")).to_have_count(0)
    expect(page.locator("[data-reveal-note]")).to_contain_text("after your last attempt")
    expect(page.locator(".quiz-question--wrong")).to_have_count(1)

    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_text("Attempt 2", exact=False)).to_be_visible()
    _assert_no_answer_in(page.content())
