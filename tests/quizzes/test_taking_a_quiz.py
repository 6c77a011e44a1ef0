"""A learner takes a lesson's quiz through the site: start, answer, graded result.

Explanations in the test data start with "BECAUSE". "No correct answer before submission"
is checked on the raw responses: no explanation, no word "correct" anywhere, and the
correct choice's markup identical to a wrong one's but for its id and text.
"""

import re
from datetime import timedelta

from django.urls import reverse

import pytest

from learning.models import LessonProgress
from quizzes.models import AttemptStatus, QuizAttempt

from .conftest import QUIZ_ID
from .factories import ALL_RIGHT

pytestmark = pytest.mark.django_db

LEAKS = ("BECAUSE", "correct", "explanation")


def _choice_markup(html: str) -> dict[str, str]:
    """Each shown choice's <li> markup by choice id, with its id, text and the learner's
    own tick made neutral."""
    found = {}
    for markup in re.findall(r'<li class="quiz-choice">.*?</li>', html, re.S):
        cid = re.search(r'value="([\w-]+)"', markup).group(1)
        text = re.search(r"<label[^>]*>(.*?)</label>", markup, re.S).group(1)
        found[cid] = markup.replace(cid, "ID").replace(f">{text}<", ">TEXT<").replace(" checked", "")
    return found


def _assert_no_answers(html: str):
    lowered = html.lower()
    for marker in LEAKS:
        assert marker.lower() not in lowered, f"{marker!r} leaked before submission"
    choices = _choice_markup(html)
    if "c-having" in choices and "c-where" in choices:  # the right one looks like a wrong one
        assert choices["c-having"] == choices["c-where"]


def _start(client, lesson, follow=False):
    return client.post(reverse("quizzes:start", args=[lesson.pk, QUIZ_ID]), follow=follow)


def _attempt_url(attempt):
    return reverse("quizzes:attempt", args=[attempt.public_id])


def _form(answers: dict, **extra) -> dict:
    data = {f"answer-{qid}": choices for qid, choices in answers.items()}
    data.update(extra)
    return data


def _only_attempt(user) -> QuizAttempt:
    return QuizAttempt.objects.get(user=user)


# --- starting, and what the browser receives before submitting --------------------------


def test_the_lesson_page_shows_the_quiz_card_with_a_start_button_and_no_answers(client, gold, quiz_lesson):
    client.force_login(gold)
    html = client.get(quiz_lesson.url).content.decode()
    assert "Check your understanding" in html
    assert f'action="/quizzes/lessons/{quiz_lesson.pk}/{QUIZ_ID}/start/"' in html
    assert "Start quiz" in html
    _assert_no_answers(html)
    assert "Which clause filters groups?" not in html  # the questions come only after "Start"


def test_starting_draws_the_questions_and_shows_them_without_the_answers(client, gold, quiz_lesson):
    client.force_login(gold)
    response = _start(client, quiz_lesson)
    attempt = _only_attempt(gold)
    assert response.status_code == 302
    assert response["Location"] == _attempt_url(attempt)
    _assert_no_answers(response.content.decode())

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    for prompt in ("Which clause filters groups?", "Which are aggregate functions?", "Which join keeps"):
        assert prompt in html
    _assert_no_answers(html)
    # Choice texts are there, flags are not: the correct choice looks like any other.
    assert 'value="c-having"' in html and 'value="c-where"' in html
    assert attempt.attempt_number == 1
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_a_random_subset_is_stored_on_the_attempt_and_a_reload_does_not_redraw(
    client, gold, make_quiz_lesson
):
    lesson = make_quiz_lesson(draw_count=2)
    client.force_login(gold)
    _start(client, lesson)
    attempt = _only_attempt(gold)
    drawn = [q["id"] for q in attempt.questions]
    order = {q["id"]: [c["id"] for c in q["choices"]] for q in attempt.questions}
    assert len(drawn) == 2

    for _reload in range(5):
        html = client.get(_attempt_url(attempt)).content.decode()
        shown = re.findall(r'name="answer-([\w-]+)" value="([\w-]+)"', html)
        assert list(dict.fromkeys(q for q, _c in shown)) == drawn
        for qid in drawn:
            assert [c for q, c in shown if q == qid] == order[qid]
    # Pressing "Start" again resumes the same attempt instead of drawing anew.
    _start(client, lesson)
    assert QuizAttempt.objects.filter(user=gold).count() == 1
    attempt.refresh_from_db()
    assert [q["id"] for q in attempt.questions] == drawn


# --- submitting and the graded result ---------------------------------------------------


def test_a_passing_submission_is_graded_and_completes_the_lesson(client, gold, quiz_lesson):
    client.force_login(gold)
    _start(client, quiz_lesson)
    attempt = _only_attempt(gold)
    response = client.post(_attempt_url(attempt), _form(ALL_RIGHT))
    assert response.status_code == 302

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.passed is True
    assert str(attempt.score) == "100.00"
    assert attempt.answers == ALL_RIGHT
    assert attempt.submitted_at and attempt.duration is not None
    assert LessonProgress.objects.get(user=gold, lesson=quiz_lesson).completed_at is not None

    result = client.get(_attempt_url(attempt))
    html = result.content.decode()
    assert "Passed" in html and "100 %" in html
    assert "BECAUSE HAVING runs after GROUP BY." in html  # explanations after submission
    assert "correct answer" in html
    assert "no-store" in result["Cache-Control"]


def test_a_failing_submission_does_not_complete_the_lesson_and_offers_a_retry(client, gold, quiz_lesson):
    client.force_login(gold)
    _start(client, quiz_lesson)
    attempt = _only_attempt(gold)
    client.post(_attempt_url(attempt), _form({**ALL_RIGHT, "q-join": ["c-inner"], "q-having": ["c-where"]}))
    attempt.refresh_from_db()
    assert attempt.passed is False
    assert str(attempt.score) == "33.33"
    assert not LessonProgress.objects.filter(
        user=gold, lesson=quiz_lesson, completed_at__isnull=False
    ).exists()

    html = client.get(_attempt_url(attempt)).content.decode()
    assert "Not passed" in html and "Try again" in html and "2 attempts left" in html

    _start(client, quiz_lesson)
    second = QuizAttempt.objects.get(user=gold, attempt_number=2)
    client.post(_attempt_url(second), _form(ALL_RIGHT))
    second.refresh_from_db()
    assert second.passed
    assert LessonProgress.objects.get(user=gold, lesson=quiz_lesson).completed_at is not None


def test_the_result_hides_correct_answers_and_explanations_when_the_quiz_says_so(
    client, gold, make_quiz_lesson
):
    lesson = make_quiz_lesson(show_explanations=False)
    client.force_login(gold)
    _start(client, lesson)
    attempt = _only_attempt(gold)
    client.post(_attempt_url(attempt), _form({**ALL_RIGHT, "q-join": ["c-inner"]}))
    html = client.get(_attempt_url(attempt)).content.decode()
    assert "Not passed" in html
    assert "BECAUSE" not in html
    assert "quiz-choice--correct" not in html
    assert "does not show the correct answers" in html


def test_partial_credit_quiz_grades_a_partly_right_multiple_choice(client, gold, make_quiz_lesson):
    lesson = make_quiz_lesson(partial_credit=True)
    client.force_login(gold)
    _start(client, lesson)
    attempt = _only_attempt(gold)
    client.post(_attempt_url(attempt), _form({**ALL_RIGHT, "q-aggregates": ["c-count", "c-sum"]}))
    attempt.refresh_from_db()
    assert str(attempt.points) == "2.67"
    assert attempt.passed
    assert "Partly right" in client.get(_attempt_url(attempt)).content.decode()


def test_submitting_twice_grades_once(client, gold, quiz_lesson):
    client.force_login(gold)
    _start(client, quiz_lesson)
    attempt = _only_attempt(gold)
    client.post(_attempt_url(attempt), _form(ALL_RIGHT))
    again = client.post(_attempt_url(attempt), _form({"q-having": ["c-where"]}), follow=True)
    assert "already submitted" in again.content.decode()
    attempt.refresh_from_db()
    assert attempt.answers == ALL_RIGHT and attempt.passed


# --- limits -----------------------------------------------------------------------------


def test_the_attempt_limit_is_enforced_with_a_clear_message(client, gold, make_quiz_lesson):
    lesson = make_quiz_lesson(max_attempts=2)
    client.force_login(gold)
    for _n in range(2):
        _start(client, lesson)
        attempt = QuizAttempt.objects.get(user=gold, status=AttemptStatus.IN_PROGRESS)
        client.post(_attempt_url(attempt), _form({"q-having": ["c-where"]}, allow_unanswered="1"))

    response = _start(client, lesson, follow=True)
    html = response.content.decode()
    assert "You have used all 2 attempts at this quiz." in html
    assert QuizAttempt.objects.filter(user=gold).count() == 2
    assert "Start quiz" not in html and "Try again" not in html


def test_unlimited_attempts_when_max_attempts_is_zero(client, gold, make_quiz_lesson):
    lesson = make_quiz_lesson(max_attempts=0)
    client.force_login(gold)
    for _n in range(5):
        _start(client, lesson)
        attempt = QuizAttempt.objects.get(user=gold, status=AttemptStatus.IN_PROGRESS)
        client.post(_attempt_url(attempt), _form({}, allow_unanswered="1"))
    assert QuizAttempt.objects.filter(user=gold).count() == 5


def test_a_submission_after_the_time_limit_counts_as_failed(client, gold, make_quiz_lesson, clock, settings):
    settings.QUIZ_TIME_GRACE_SECONDS = 30
    lesson = make_quiz_lesson(time_limit_minutes=10)
    client.force_login(gold)
    _start(client, lesson)
    attempt = _only_attempt(gold)
    assert attempt.deadline == attempt.started_at + timedelta(minutes=10)

    clock.advance(minutes=10, seconds=31)
    client.post(_attempt_url(attempt), _form(ALL_RIGHT))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert attempt.passed is False
    assert attempt.duration.total_seconds() == 600
    assert not LessonProgress.objects.filter(user=gold, lesson=lesson, completed_at__isnull=False).exists()
    html = client.get(_attempt_url(attempt)).content.decode()
    assert "Time ran out" in html
    assert "submitted after the time limit" in html


def test_a_submission_within_the_grace_still_counts(client, gold, make_quiz_lesson, clock, settings):
    settings.QUIZ_TIME_GRACE_SECONDS = 30
    lesson = make_quiz_lesson(time_limit_minutes=10)
    client.force_login(gold)
    _start(client, lesson)
    attempt = _only_attempt(gold)
    clock.advance(minutes=10, seconds=20)
    client.post(_attempt_url(attempt), _form(ALL_RIGHT))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.passed


def test_an_abandoned_timed_attempt_closes_as_failed_when_reopened(client, gold, make_quiz_lesson, clock):
    lesson = make_quiz_lesson(time_limit_minutes=5)
    client.force_login(gold)
    _start(client, lesson)
    attempt = _only_attempt(gold)
    clock.advance(hours=2)
    html = client.get(_attempt_url(attempt)).content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED and attempt.passed is False
    assert str(attempt.score) == "0.00"  # nothing answered, everything counts wrong
    assert "Time ran out" in html
    # The next start opens attempt 2 instead of resuming the dead one.
    _start(client, lesson)
    assert QuizAttempt.objects.get(user=gold, status=AttemptStatus.IN_PROGRESS).attempt_number == 2


def test_the_attempt_page_shows_the_time_left_from_the_server(client, gold, make_quiz_lesson, clock):
    lesson = make_quiz_lesson(time_limit_minutes=10)
    client.force_login(gold)
    _start(client, lesson)
    clock.advance(minutes=4)
    html = client.get(_attempt_url(_only_attempt(gold))).content.decode()
    assert re.search(r'data-seconds-left="(35\d|360)"', html)


# --- who may take it --------------------------------------------------------------------


def test_a_bronze_learner_cannot_start_a_gold_lessons_quiz(client, bronze, quiz_lesson):
    client.force_login(bronze)
    response = _start(client, quiz_lesson)
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]
    assert not QuizAttempt.objects.exists()
    _assert_no_answers(response.content.decode())


def test_a_learner_whose_plan_lapsed_cannot_submit_their_open_attempt(client, gold, quiz_lesson):
    from django.utils import timezone

    from memberships.models import Subscription

    client.force_login(gold)
    _start(client, quiz_lesson)
    attempt = _only_attempt(gold)
    Subscription.objects.filter(user=gold).update(ends_at=timezone.now())
    response = client.post(_attempt_url(attempt), _form(ALL_RIGHT))
    assert response.status_code == 403
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_a_visitor_is_sent_to_log_in(client, quiz_lesson):
    response = _start(client, quiz_lesson)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not QuizAttempt.objects.exists()


def test_another_learners_attempt_is_not_found(client, gold, quiz_lesson, tiers):
    from tests.conftest import _subscribed

    other = _subscribed("other.gold@example.test", "Other Gold", tiers["gold"])
    client.force_login(gold)
    _start(client, quiz_lesson)
    attempt = _only_attempt(gold)

    client.force_login(other)
    assert client.get(_attempt_url(attempt)).status_code == 404
    assert client.post(_attempt_url(attempt), _form(ALL_RIGHT)).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_a_forged_attempt_id_is_not_found(client, gold, quiz_lesson):
    client.force_login(gold)
    assert client.get("/quizzes/attempts/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/quizzes/attempts/1/").status_code == 404
    assert client.post("/quizzes/attempts/not-a-uuid/", {}).status_code == 404


def test_a_forged_quiz_id_is_not_found(client, gold, quiz_lesson):
    client.force_login(gold)
    assert client.post(reverse("quizzes:start", args=[quiz_lesson.pk, "no-such-block"])).status_code == 404
    assert client.post(reverse("quizzes:start", args=[999999, QUIZ_ID])).status_code == 404
    assert not QuizAttempt.objects.exists()


def test_start_only_accepts_post(client, gold, quiz_lesson):
    client.force_login(gold)
    assert client.get(reverse("quizzes:start", args=[quiz_lesson.pk, QUIZ_ID])).status_code == 405
    assert not QuizAttempt.objects.exists()


# --- bad input gets a clear error and loses nothing --------------------------------------


def test_missing_answers_get_a_clear_error_and_keep_the_given_ones(client, gold, quiz_lesson):
    client.force_login(gold)
    _start(client, quiz_lesson)
    attempt = _only_attempt(gold)
    response = client.post(_attempt_url(attempt), _form({"q-having": ["c-having"]}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "nothing was lost" in html
    assert re.search(r"Questions \d, \d have no answer yet", html)
    assert re.search(r'value="c-having" id="c-c-having" checked', html)
    assert 'name="allow_unanswered"' in html
    _assert_no_answers(html)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS

    # Ticking "submit anyway" grades it, the unanswered questions counting as wrong.
    client.post(_attempt_url(attempt), _form({"q-having": ["c-having"]}, allow_unanswered="1"))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and str(attempt.score) == "33.33"


def test_an_unknown_choice_id_is_refused_without_losing_the_attempt(client, gold, quiz_lesson):
    client.force_login(gold)
    _start(client, quiz_lesson)
    attempt = _only_attempt(gold)
    response = client.post(_attempt_url(attempt), _form({**ALL_RIGHT, "q-join": ["c-having"]}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "an answer did not match its choices" in html
    assert re.search(r'value="c-count" id="c-c-count" checked', html)
    _assert_no_answers(html)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS and attempt.answers == {}


def test_two_answers_to_a_single_choice_question_are_refused(client, gold, quiz_lesson):
    client.force_login(gold)
    _start(client, quiz_lesson)
    attempt = _only_attempt(gold)
    response = client.post(_attempt_url(attempt), _form({**ALL_RIGHT, "q-having": ["c-having", "c-where"]}))
    assert response.status_code == 400
    assert "takes one answer only" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_open


def test_an_answer_to_a_question_not_in_the_attempt_is_refused(client, gold, make_quiz_lesson):
    lesson = make_quiz_lesson(draw_count=1)
    client.force_login(gold)
    _start(client, lesson)
    attempt = _only_attempt(gold)
    drawn = attempt.questions[0]["id"]
    other = next(q for q in ALL_RIGHT if q != drawn)
    response = client.post(_attempt_url(attempt), _form({drawn: ALL_RIGHT[drawn], other: ALL_RIGHT[other]}))
    assert response.status_code == 400
    assert "not in this attempt" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_open


@pytest.mark.parametrize(
    "body, content_type",
    [
        ('{"answers": "all of them"}', "application/json"),
        ("\x00\xff garbage", "application/octet-stream"),
        ("answer-=&answer-q-having=" + "x" * 5000 + "&&&=", "application/x-www-form-urlencoded"),
    ],
)
def test_garbage_posts_get_a_clear_error_and_lose_nothing(client, gold, quiz_lesson, body, content_type):
    client.force_login(gold)
    _start(client, quiz_lesson)
    attempt = _only_attempt(gold)
    response = client.post(_attempt_url(attempt), body, content_type=content_type)
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was lost" in html
    _assert_no_answers(html)
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {}


def test_the_quiz_card_costs_the_same_queries_however_many_attempts_there_are(client, gold, make_quiz_lesson):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lesson = make_quiz_lesson(max_attempts=0)
    client.force_login(gold)
    client.get(lesson.url)  # warm caches (site root, tiers)

    def queries_for_lesson_page():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(lesson.url).status_code == 200
        return len(captured)

    before = queries_for_lesson_page()
    for _n in range(4):
        _start(client, lesson)
        attempt = QuizAttempt.objects.get(user=gold, status=AttemptStatus.IN_PROGRESS)
        client.post(_attempt_url(attempt), _form({}, allow_unanswered="1"))
    assert queries_for_lesson_page() == before
    assert "Attempt 4: 0 %" in client.get(lesson.url).content.decode()
