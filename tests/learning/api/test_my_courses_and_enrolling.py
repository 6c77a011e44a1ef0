""" "My courses" costs the same whatever the number of courses, and enrolling is
idempotent: five concurrent duplicates with one Idempotency-Key make one enrollment,
one announcement, and five identical answers."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from learning.models import Enrollment
from learning.signals import enrolled
from notifications.models import EmailLog
from tests.races import run_at_once

from ..test_query_counts import enrolled_in
from .support import bearer

DUPLICATES = 5


def _my_courses_queries(api):
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/me/courses/")
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.django_db
def test_my_courses_costs_the_same_with_2_and_12_courses(catalog, learner, bronze):
    enrolled_in(learner, catalog, 2)
    enrolled_in(bronze, catalog, 12)

    few, few_body = _my_courses_queries(bearer(learner))
    many, many_body = _my_courses_queries(bearer(bronze))

    assert few_body["count"] == 2 and many_body["count"] == 12
    assert few == many, (few, many)
    row = many_body["results"][0]
    assert row["lessons_total"] == 4 and row["lessons_completed"] == 1 and row["percent"] == 25
    assert row["continue_at"]["seconds"] == 30


@pytest.mark.django_db
def test_my_courses_is_paginated_like_every_list(catalog, bronze):
    enrolled_in(bronze, catalog, 3)
    page = bearer(bronze).get("/api/v1/me/courses/?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]


@pytest.mark.django_db
def test_enrolling_again_changes_nothing(catalog, learner):
    from tests.factories import build_course

    course = build_course(catalog, modules=1, lessons=1)
    api = bearer(learner)
    first = api.post("/api/v1/me/enrollments/", {"course": course.pk}, format="json")
    second = api.post("/api/v1/me/enrollments/", {"course": course.pk}, format="json")
    assert first.status_code == 201 and first.json()["created"] is True
    assert second.status_code == 200 and second.json()["created"] is False
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_concurrent_duplicate_enrolments_make_one_enrollment(catalog, learner):
    """On PostgreSQL the five requests really run at once; SQLite takes one writer at a
    time, so there they take turns through the same code (as tests/quizzes/test_races.py)."""
    from tests.factories import build_course

    cache.clear()
    course = build_course(catalog, modules=1, lessons=1)
    announced = []

    def count(**kwargs):
        announced.append(kwargs["enrollment"].pk)

    enrolled.connect(count, weak=False, dispatch_uid="test-count-enrolments")

    def enrol(_index):
        response = bearer(learner).post(
            "/api/v1/me/enrollments/",
            {"course": course.pk},
            format="json",
            HTTP_IDEMPOTENCY_KEY="enrol-once-1",
        )
        return response.status_code, response.json()

    try:
        answers = run_at_once(enrol, DUPLICATES)
    finally:
        enrolled.disconnect(dispatch_uid="test-count-enrolments")

    assert len(answers) == DUPLICATES
    assert {status for status, _body in answers} == {201}, answers
    assert all(body == answers[0][1] for _status, body in answers)
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1
    assert len(announced) == 1
    assert EmailLog.objects.filter(user=learner, template="enrolled").count() == 1
