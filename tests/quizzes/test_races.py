"""The attempt limit under concurrency: the unique constraint decides, not a count.

On PostgreSQL the threads really run at once. SQLite has no row locks and answers a
second concurrent writer with "database is locked", so there the same threads take turns
through the same functions: the outcome asked of both databases is identical.
"""

import threading
from contextlib import nullcontext

from django.db import connection, connections

import pytest

from learning.models import LessonPage, LessonProgress
from quizzes import attempts
from quizzes.models import AttemptStatus, QuizAttempt

from .conftest import QUIZ_ID
from .factories import ALL_RIGHT

RACERS = 10


def _run_at_once(target, count=RACERS):
    barrier = threading.Barrier(count)
    one_at_a_time = nullcontext() if connection.vendor == "postgresql" else threading.Lock()
    outcomes = []

    def race(index):
        try:
            barrier.wait(timeout=30)
            with one_at_a_time:
                outcomes.append(target(index))
        except attempts.QuizError as refusal:
            outcomes.append(type(refusal).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _use_attempts(user, lesson, quiz, count):
    for _n in range(count):
        attempt = attempts.start_attempt(user, lesson, QUIZ_ID, quiz)
        attempts.submit_attempt(attempt, {"q-having": ["c-where"]})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_takes_of_the_last_allowed_attempt_make_exactly_one(gold, quiz_lesson):
    lesson = LessonPage.objects.get(pk=quiz_lesson.pk)
    quiz = attempts.find_quiz(lesson, QUIZ_ID)
    _use_attempts(gold, lesson, quiz, 2)  # 2 of 3 used

    def take_the_last_attempt(_index):
        attempt = attempts.start_attempt(gold, lesson, QUIZ_ID, quiz)
        attempts.submit_attempt(attempt, ALL_RIGHT)
        return attempt.attempt_number

    outcomes = _run_at_once(take_the_last_attempt)

    assert len(outcomes) == RACERS
    assert outcomes.count(3) == 1, outcomes  # one learner request won attempt 3 …
    assert set(outcomes) <= {3, "AttemptClosed", "AttemptLimitReached"}  # … the rest were told no
    numbers = sorted(QuizAttempt.objects.filter(user=gold).values_list("attempt_number", flat=True))
    assert numbers == [1, 2, 3]
    assert QuizAttempt.objects.get(user=gold, attempt_number=3).passed
    assert LessonProgress.objects.filter(user=gold, lesson=lesson, completed_at__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_submissions_of_one_attempt_grade_it_once(gold, quiz_lesson):
    lesson = LessonPage.objects.get(pk=quiz_lesson.pk)
    quiz = attempts.find_quiz(lesson, QUIZ_ID)
    attempt = attempts.start_attempt(gold, lesson, QUIZ_ID, quiz)
    wrong = {"q-having": ["c-where"], "q-aggregates": ["c-lower"], "q-join": ["c-inner"]}

    def submit(index):
        mine = QuizAttempt.objects.get(pk=attempt.pk)
        attempts.submit_attempt(mine, ALL_RIGHT if index % 2 else wrong)
        return "graded"

    outcomes = _run_at_once(submit)

    assert sorted(outcomes) == ["AttemptClosed"] * (RACERS - 1) + ["graded"]
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.answers in (ALL_RIGHT, wrong)
    assert QuizAttempt.objects.filter(user=gold).count() == 1
