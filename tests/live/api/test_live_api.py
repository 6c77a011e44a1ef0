"""Live sessions over the API: my upcoming sessions, and joining, which answers the
meeting URL and records attendance by the same rule as the site's join redirect."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from live.models import Attendance, SessionStatus

from ...api.clients import assert_error, assert_token_refusals, client_for
from ..conftest import enroll
from ..factories import LiveSessionFactory

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/live/sessions/"


def _join_path(session) -> str:
    return f"{SESSIONS}{session.pk}/join/"


def test_my_upcoming_sessions_are_those_of_my_courses_soonest_first(
    enrolled_gold, course, other_course, instructor
):
    later = LiveSessionFactory(course=course, starts_at=timezone.now() + timedelta(days=5))
    sooner = LiveSessionFactory(course=course, starts_at=timezone.now() + timedelta(days=1))
    LiveSessionFactory(course=other_course)  # not enrolled there
    LiveSessionFactory(course=course, status=SessionStatus.CANCELLED)
    LiveSessionFactory(
        course=course,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-1),
    )

    results = client_for(enrolled_gold).get(SESSIONS).json()["results"]

    assert [s["id"] for s in results] == [sooner.pk, later.pk]
    assert results[0]["course"] == {"id": course.pk, "slug": course.slug, "title": "Async Python"}
    assert results[0]["can_join"] is True
    assert results[0]["is_open"] is False
    assert results[0]["starts_at"].endswith("Z")


def test_the_list_says_when_my_plan_does_not_include_live_sessions(course, silver, live_session):
    enroll(silver, course)
    [item] = client_for(silver).get(SESSIONS).json()["results"]
    assert item["can_join"] is False


def test_listing_sessions_costs_the_same_queries_for_one_or_many(enrolled_gold, course):
    api = client_for(enrolled_gold)
    LiveSessionFactory(course=course)
    with CaptureQueriesContext(connection) as one:
        assert len(api.get(SESSIONS).json()["results"]) == 1
    for _n in range(4):
        LiveSessionFactory(course=course)
    with CaptureQueriesContext(connection) as five:
        assert len(api.get(SESSIONS).json()["results"]) == 5
    assert len(five) == len(one)


def test_joining_an_open_session_answers_the_meeting_and_records_attendance(enrolled_gold, open_session):
    api = client_for(enrolled_gold)
    response = api.post(_join_path(open_session))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["meeting_url"] == open_session.join_url
    assert body["join_count"] == 1
    attendance = Attendance.objects.get(session=open_session, user=enrolled_gold)
    assert attendance.join_count == 1
    assert api.post(_join_path(open_session)).json()["join_count"] == 2


def test_joining_refuses_anonymous_expired_and_forged_tokens(gold, open_session):
    assert_token_refusals(gold, "post", _join_path(open_session))
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("who", "code"), [("bronze", "tier_too_low"), ("silver", "tier_too_low"), ("lapsed", "tier_too_low")]
)
def test_learners_whose_plan_lacks_live_sessions_get_403(request, open_session, course, who, code):
    user = request.getfixturevalue(who)
    enroll(user, course)
    error = assert_error(client_for(user).post(_join_path(open_session)), 403, code)
    assert error["details"]["upgrade_tiers"] == ["gold"]
    assert not Attendance.objects.exists()


def test_a_closed_door_is_409_saying_why(enrolled_gold, live_session, open_session):
    api = client_for(enrolled_gold)
    assert_error(api.post(_join_path(live_session)), 409, "session_not_yet")
    open_session.status = SessionStatus.CANCELLED
    open_session.save()
    assert_error(api.post(_join_path(open_session)), 409, "session_cancelled")
    assert not Attendance.objects.exists()


def test_an_unknown_session_is_404(enrolled_gold):
    assert_error(client_for(enrolled_gold).post(f"{SESSIONS}999999/join/"), 404, "not_found")


def test_the_courses_instructor_joins_without_a_plan(instructor, open_session):
    response = client_for(instructor).post(_join_path(open_session))
    assert response.status_code == 200
    assert Attendance.objects.filter(user=instructor).exists()
