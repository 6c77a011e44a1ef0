"""When a graded attempt shows its correct answers, and how long after the deadline an
answer still counts."""

import re
from datetime import timedelta

from django.urls import reverse

import pytest

from quizzes.choices import REVEAL_AFTER_PASSING, REVEAL_EVERY_ATTEMPT
from quizzes.models import AttemptStatus, QuizAttempt

from .conftest import QUIZ_ID
from .factories import ALL_RIGHT

pytestmark = pytest.mark.django_db

TWO_WRONG = {**ALL_RIGHT, "q-join": ["c-inner"], "q-having": ["c-where"]}


def _take(client, lesson, answers: dict) -> str:
    """Start (or resume) an attempt, submit `answers`, return the graded result's HTML."""
    client.post(reverse("quizzes:start", args=[lesson.pk, QUIZ_ID]))
    attempt = QuizAttempt.objects.filter(status=AttemptStatus.IN_PROGRESS).get()
    url = reverse("quizzes:attempt", args=[attempt.public_id])
    data = {f"answer-{qid}": choices for qid, choices in answers.items()}
    client.post(url, {**data, "allow_unanswered": "1"})
    return client.get(url).content.decode()


def _reveals(html: str) -> bool:
    return "BECAUSE" in html or "quiz-choice--correct" in html


def test_a_failed_attempt_with_attempts_left_shows_no_correct_answer_by_default(client, gold, quiz_lesson):
    client.force_login(gold)
    html = _take(client, quiz_lesson, TWO_WRONG)
    assert "Not passed" in html and "Try again" in html
    assert not _reveals(html)
    assert "after your last attempt" in html


def test_the_last_failed_attempt_reveals_the_answers_by_default(client, gold, make_quiz_lesson):
    lesson = make_quiz_lesson(max_attempts=2)
    client.force_login(gold)
    assert not _reveals(_take(client, lesson, TWO_WRONG))
    last = _take(client, lesson, TWO_WRONG)
    assert "You have used all 2 attempts" in last
    assert "BECAUSE HAVING runs after GROUP BY." in last and "quiz-choice--correct" in last


def test_a_pass_reveals_the_answers_by_default(client, gold, quiz_lesson):
    client.force_login(gold)
    assert _reveals(_take(client, quiz_lesson, ALL_RIGHT))


def test_after_passing_only_keeps_the_last_failed_attempt_hidden(client, gold, make_quiz_lesson):
    lesson = make_quiz_lesson(max_attempts=1, reveal_answers=REVEAL_AFTER_PASSING)
    client.force_login(gold)
    html = _take(client, lesson, TWO_WRONG)
    assert not _reveals(html)
    assert "appear once you pass" in html


def test_every_attempt_reveals_the_answers_of_a_failed_one(client, gold, make_quiz_lesson):
    lesson = make_quiz_lesson(reveal_answers=REVEAL_EVERY_ATTEMPT)
    client.force_login(gold)
    assert _reveals(_take(client, lesson, TWO_WRONG))


def test_unlimited_attempts_reveal_only_after_a_pass_by_default(client, gold, make_quiz_lesson):
    lesson = make_quiz_lesson(max_attempts=0)
    client.force_login(gold)
    assert not _reveals(_take(client, lesson, TWO_WRONG))
    assert _reveals(_take(client, lesson, ALL_RIGHT))


def test_an_answer_fifteen_seconds_after_the_visible_deadline_is_out_of_time(
    client, gold, make_quiz_lesson, clock
):
    """The default grace covers the network only: a few seconds, not 30."""
    lesson = make_quiz_lesson(time_limit_minutes=1)
    client.force_login(gold)
    client.post(reverse("quizzes:start", args=[lesson.pk, QUIZ_ID]))
    attempt = QuizAttempt.objects.get(user=gold)
    url = reverse("quizzes:attempt", args=[attempt.public_id])
    # The countdown the learner sees ends at the real deadline, not deadline + grace.
    assert re.search(r'data-seconds-left="(59|60)"', client.get(url).content.decode())

    clock.advance(minutes=1, seconds=15)
    client.post(url, {f"answer-{qid}": choices for qid, choices in ALL_RIGHT.items()})
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED and attempt.passed is False
    assert attempt.duration == timedelta(minutes=1)


def test_an_answer_arriving_a_moment_after_the_deadline_still_counts(client, gold, make_quiz_lesson, clock):
    lesson = make_quiz_lesson(time_limit_minutes=1)
    client.force_login(gold)
    client.post(reverse("quizzes:start", args=[lesson.pk, QUIZ_ID]))
    attempt = QuizAttempt.objects.get(user=gold)
    clock.advance(minutes=1, seconds=2)
    client.post(
        reverse("quizzes:attempt", args=[attempt.public_id]),
        {f"answer-{qid}": choices for qid, choices in ALL_RIGHT.items()},
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.passed
