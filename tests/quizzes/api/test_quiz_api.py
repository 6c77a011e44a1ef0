"""Taking a quiz over the API: drawn and timed on the server, graded on the server, no
correct answer or explanation in any answer before submission (every body inspected),
answers revealed after as the quiz's `reveal_answers` says, attempts addressed by public
id (another learner's is a 404), refusals with the policy's code, and an idempotent submit
that grades once under five concurrent duplicates."""

import json

from django.core.cache import cache
from django.utils import timezone

import pytest
from rest_framework.test import APIClient

from learning.models import LessonProgress
from quizzes.choices import REVEAL_EVERY_ATTEMPT
from quizzes.models import QuizAttempt
from tests.races import run_at_once

from ...learning.api.support import bearer, error_code, expired, forged
from ..conftest import QUIZ_ID
from ..factories import ALL_RIGHT

CORRECT_IDS = {"c-having", "c-count", "c-sum", "c-avg", "c-left"}
TWO_WRONG = {"q-having": ["c-where"], "q-aggregates": ["c-lower"], "q-join": ["c-left"]}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def assert_no_answer_leaks(response):
    """Nothing in the body says which choice is right or why: no explanation text, no
    `correct`/`explanation` key, no graded result."""
    text = response.content.decode()
    assert "BECAUSE" not in text
    body = json.loads(text)

    def walk(value):
        if isinstance(value, dict):
            assert not {"correct", "correct_choices", "explanation", "points", "score"} & set(value), value
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk({k: v for k, v in body.items() if k != "result"})
    assert body.get("result") is None


def _start(api, lesson, **extra):
    return api.post(
        "/api/v1/quizzes/attempts/", {"lesson": lesson.pk, "quiz": QUIZ_ID}, format="json", **extra
    )


@pytest.mark.django_db
def test_start_answer_and_submit_without_any_answer_before_submission(gold, quiz_lesson):
    api = bearer(gold)
    started = _start(api, quiz_lesson)
    assert started.status_code == 201, started.content
    assert_no_answer_leaks(started)
    attempt = started.json()
    assert attempt["status"] == "in_progress" and len(attempt["questions"]) == 3
    assert {c["id"] for q in attempt["questions"] for c in q["choices"]} >= CORRECT_IDS
    url = f"/api/v1/quizzes/attempts/{attempt['id']}/"

    resumed = _start(api, quiz_lesson)
    assert resumed.status_code == 200 and resumed.json()["id"] == attempt["id"]
    assert_no_answer_leaks(resumed)

    answered = api.put(url + "answers/", {"answers": {"q-having": ["c-having"]}}, format="json")
    assert answered.status_code == 200, answered.content
    assert_no_answer_leaks(answered)
    chosen = {c["id"] for q in answered.json()["questions"] for c in q["choices"] if c["chosen"]}
    assert chosen == {"c-having"}
    read = api.get(url)
    assert_no_answer_leaks(read)

    unanswered = api.post(url + "submit/", {}, format="json")
    assert error_code(unanswered, 422) == "validation_error"
    assert unanswered.json()["error"]["details"]["unanswered"] == [2, 3]
    assert "BECAUSE" not in unanswered.content.decode()

    submitted = api.post(
        url + "submit/", {"answers": {k: v for k, v in ALL_RIGHT.items() if k != "q-having"}}, format="json"
    )
    assert submitted.status_code == 200, submitted.content
    result = submitted.json()["result"]
    assert result["passed"] is True and result["score"] == 100
    assert result["reveals_answers"] is True
    assert {c for q in result["questions"] for c in q["correct_choices"]} == CORRECT_IDS
    assert LessonProgress.objects.get(user=gold, lesson=quiz_lesson).completed_at is not None

    again = api.post(url + "submit/", {"answers": TWO_WRONG}, format="json")
    assert error_code(again, 409) == "attempt_closed"
    assert QuizAttempt.objects.get(public_id=attempt["id"]).score == 100


@pytest.mark.django_db
def test_a_failed_attempt_with_attempts_left_reveals_nothing(gold, quiz_lesson):
    api = bearer(gold)
    attempt = _start(api, quiz_lesson).json()
    graded = api.post(
        f"/api/v1/quizzes/attempts/{attempt['id']}/submit/", {"answers": TWO_WRONG}, format="json"
    )
    result = graded.json()["result"]
    assert result["passed"] is False and result["reveals_answers"] is False
    assert all(q["correct_choices"] is None and q["explanation"] is None for q in result["questions"])
    assert "BECAUSE" not in graded.content.decode() and result["reveal_note"]
    # The next attempt is a fresh draw and still says nothing.
    assert_no_answer_leaks(_start(api, quiz_lesson))


@pytest.mark.django_db
def test_reveal_every_attempt_shows_the_answers_of_a_failed_one(gold, make_quiz_lesson):
    lesson = make_quiz_lesson(reveal_answers=REVEAL_EVERY_ATTEMPT)
    api = bearer(gold)
    attempt = _start(api, lesson).json()
    result = api.post(
        f"/api/v1/quizzes/attempts/{attempt['id']}/submit/", {"answers": TWO_WRONG}, format="json"
    ).json()["result"]
    assert result["passed"] is False and result["reveals_answers"] is True
    assert any((q["explanation"] or "").startswith("BECAUSE") for q in result["questions"])


@pytest.mark.django_db
def test_the_time_limit_is_the_servers(gold, make_quiz_lesson, clock):
    lesson = make_quiz_lesson(time_limit_minutes=1)
    api = bearer(gold)
    attempt = _start(api, lesson).json()
    assert attempt["deadline"] and 0 < attempt["seconds_left"] <= 60

    clock.advance(seconds=80)
    late = api.post(
        f"/api/v1/quizzes/attempts/{attempt['id']}/submit/", {"answers": ALL_RIGHT}, format="json"
    )

    assert error_code(late, 409) == "attempt_closed"
    closed = QuizAttempt.objects.get(public_id=attempt["id"])
    assert closed.status == "expired" and closed.passed is False


@pytest.mark.django_db
def test_the_attempt_limit_is_a_409(gold, make_quiz_lesson):
    lesson = make_quiz_lesson(max_attempts=1)
    api = bearer(gold)
    attempt = _start(api, lesson).json()
    api.post(f"/api/v1/quizzes/attempts/{attempt['id']}/submit/", {"answers": TWO_WRONG}, format="json")
    assert error_code(_start(api, lesson), 409) == "attempt_limit_reached"


@pytest.mark.django_db
def test_refusals(gold, silver, bronze, lapsed, quiz_lesson):
    own = _start(bearer(gold), quiz_lesson).json()
    url = f"/api/v1/quizzes/attempts/{own['id']}/"

    for client in (APIClient(), expired(gold), forged(gold)):
        assert _start(client, quiz_lesson).status_code == 401
        assert client.get(url).status_code == 401
        assert client.post(url + "submit/", {"answers": ALL_RIGHT}, format="json").status_code == 401
    for user in (bronze, lapsed):
        assert error_code(_start(bearer(user), quiz_lesson), 403) == "tier_too_low"
    # Someone else's attempt does not exist for them, whatever they try.
    other = bearer(silver)
    assert error_code(other.get(url), 404) == "not_found"
    assert error_code(other.put(url + "answers/", {"answers": ALL_RIGHT}, format="json"), 404) == "not_found"
    assert error_code(other.post(url + "submit/", {"answers": ALL_RIGHT}, format="json"), 404) == "not_found"
    assert QuizAttempt.objects.get(public_id=own["id"]).is_open
    # A lapsed subscription closes the learner's own attempt too.
    lapsed_attempt = QuizAttempt.objects.create(
        user=lapsed,
        lesson=quiz_lesson,
        block_id=QUIZ_ID,
        attempt_number=1,
        quiz_title="Q",
        pass_mark_percent=70,
        questions=QuizAttempt.objects.get(public_id=own["id"]).questions,
        started_at=timezone.now(),
    )
    refused = bearer(lapsed).get(f"/api/v1/quizzes/attempts/{lapsed_attempt.public_id}/")
    assert error_code(refused, 403) == "tier_too_low"
    assert "BECAUSE" not in refused.content.decode()
    # Unknown quizzes and malformed ids.
    missing = bearer(gold).post(
        "/api/v1/quizzes/attempts/", {"lesson": quiz_lesson.pk, "quiz": "nope"}, format="json"
    )
    assert error_code(missing, 404) == "not_found"
    assert bearer(gold).get("/api/v1/quizzes/attempts/42/").status_code == 404


@pytest.mark.django_db
def test_answers_that_are_not_the_attempts_are_refused(gold, quiz_lesson):
    api = bearer(gold)
    attempt = _start(api, quiz_lesson).json()
    url = f"/api/v1/quizzes/attempts/{attempt['id']}/answers/"
    assert (
        error_code(api.put(url, {"answers": {"q-other": ["c-having"]}}, format="json"), 422)
        == "validation_error"
    )
    assert (
        error_code(api.put(url, {"answers": {"q-having": ["c-left"]}}, format="json"), 422)
        == "validation_error"
    )
    assert error_code(api.put(url, {"answers": {"q-having": ["c-having", "c-where"]}}, format="json"), 422)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("same_key", [True, False])
def test_five_concurrent_submissions_grade_once(same_key, gold, quiz_lesson):
    """With one Idempotency-Key all five get the first answer; without, one is graded and
    the other four are told it was already submitted. PostgreSQL runs them at once,
    SQLite in turns (tests/quizzes/test_races.py)."""
    cache.clear()
    api = bearer(gold)
    attempt = _start(api, quiz_lesson).json()
    url = f"/api/v1/quizzes/attempts/{attempt['id']}/submit/"

    def submit(index):
        key = "submit-once" if same_key else f"submit-{index}"
        response = bearer(gold).post(url, {"answers": ALL_RIGHT}, format="json", HTTP_IDEMPOTENCY_KEY=key)
        return response.status_code, response.json()

    answers = run_at_once(submit, 5)

    statuses = sorted(status for status, _body in answers)
    if same_key:
        assert statuses == [200] * 5, answers
        assert all(body == answers[0][1] for _status, body in answers)
    else:
        assert statuses == [200] + [409] * 4, answers
    graded = QuizAttempt.objects.get(public_id=attempt["id"])
    assert graded.status == "submitted" and graded.passed
    assert (
        LessonProgress.objects.filter(user=gold, lesson=quiz_lesson, completed_at__isnull=False).count() == 1
    )
