"""Lessons with quizzes, and a clock the quiz service reads."""

from datetime import timedelta

from django.utils import timezone

import pytest

from quizzes import attempts

from .factories import course, lesson_with_quiz, quiz, sql_questions

QUIZ_ID = "0b9d8c52-6a1f-4a53-9f0e-5c1d3e2a7b10"


@pytest.fixture
def gold_course(catalog, tiers):
    return course(catalog, title="Advanced SQL", required_tier=tiers["gold"])


@pytest.fixture
def quiz_lesson(gold_course):
    """A Gold lesson whose body holds a three-question quiz (pass mark 70 %, 3 attempts)."""
    return lesson_with_quiz(gold_course, quiz(sql_questions(), block_id=QUIZ_ID), title="Grouping rows")


@pytest.fixture
def make_quiz_lesson(gold_course):
    def make(**settings):
        return lesson_with_quiz(
            gold_course,
            quiz(settings.pop("questions", None) or sql_questions(), block_id=QUIZ_ID, **settings),
        )

    return make


class _Clock:
    def __init__(self):
        self.offset = timedelta()

    def now(self):
        return timezone.now() + self.offset

    def advance(self, **delta):
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Moves the quiz service's clock forward (only the quiz service reads it)."""
    fake = _Clock()

    class _Timezone:
        now = staticmethod(fake.now)

    monkeypatch.setattr(attempts, "timezone", _Timezone)
    return fake
