"""Joining goes through the platform: the policy decides, attendance is recorded, and
the learner is sent to the meeting; everyone else gets a clear answer."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from live.models import Attendance, SessionStatus

from .factories import LiveSessionFactory


def join(client, session):
    return client.get(reverse("live:join", args=[session.pk]))


def test_gold_learner_is_sent_to_the_meeting_and_attendance_is_recorded(client, open_session, enrolled_gold):
    client.force_login(enrolled_gold)

    response = join(client, open_session)

    assert response.status_code == 302
    assert response["Location"] == open_session.join_url
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    attendance = Attendance.objects.get(session=open_session, user=enrolled_gold)
    assert attendance.join_count == 1 and attendance.left_at is None


def test_rejoining_counts_up_and_clears_the_leave_time(client, open_session, enrolled_gold):
    client.force_login(enrolled_gold)
    join(client, open_session)
    client.post(reverse("live:leave", args=[open_session.pk]))
    assert Attendance.objects.get(user=enrolled_gold).left_at is not None

    join(client, open_session)

    attendance = Attendance.objects.get(user=enrolled_gold)
    assert (attendance.join_count, attendance.left_at) == (2, None)


def test_leave_beacon_records_the_time(client, open_session, enrolled_gold):
    client.force_login(enrolled_gold)
    join(client, open_session)

    response = client.post(reverse("live:leave", args=[open_session.pk]))

    assert response.status_code == 204
    assert Attendance.objects.get(user=enrolled_gold).left_at is not None


def test_leave_needs_a_post_with_a_csrf_token(open_session, enrolled_gold):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(enrolled_gold)
    assert client.get(reverse("live:leave", args=[open_session.pk])).status_code == 405
    assert client.post(reverse("live:leave", args=[open_session.pk])).status_code == 403


@pytest.mark.parametrize("who", ["bronze", "silver", "lapsed"])
def test_learners_without_live_sessions_in_their_tier_see_the_teaser(client, open_session, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = join(client, open_session)

    assert response.status_code == 403
    assert "memberships/teaser.html" in [t.name for t in response.templates]
    assert open_session.join_url not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not Attendance.objects.exists()


def test_visitor_is_asked_to_log_in(client, open_session):
    response = join(client, open_session)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Attendance.objects.exists()


def test_the_instructor_may_join_their_own_course_session(client, open_session, instructor):
    client.force_login(instructor)
    assert join(client, open_session)["Location"] == open_session.join_url


def test_too_early_is_a_clear_page_not_a_redirect(client, live_session, enrolled_gold):
    client.force_login(enrolled_gold)
    response = join(client, live_session)
    assert response.status_code == 409
    assert "not open yet" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_door_opens_fifteen_minutes_before_the_start(client, course, enrolled_gold):
    session = LiveSessionFactory(course=course, starts_at=timezone.now() + timedelta(minutes=10))
    client.force_login(enrolled_gold)
    assert join(client, session).status_code == 302


def test_cancelled_session_cannot_be_joined(client, open_session, enrolled_gold):
    open_session.status = SessionStatus.CANCELLED
    open_session.save()
    client.force_login(enrolled_gold)
    response = join(client, open_session)
    assert response.status_code == 409
    assert "cancelled" in response.content.decode()


def test_ended_session_cannot_be_joined(client, course, enrolled_gold):
    start = timezone.now() - timedelta(hours=2)
    session = LiveSessionFactory(course=course, starts_at=start, ends_at=start + timedelta(hours=1))
    client.force_login(enrolled_gold)
    response = join(client, session)
    assert response.status_code == 409
    assert "has ended" in response.content.decode()


def test_a_full_session_turns_away_newcomers_but_not_those_already_in(client, course, gold, tiers):
    from tests.conftest import _subscribed

    start = timezone.now() - timedelta(minutes=1)
    session = LiveSessionFactory(
        course=course, capacity=1, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    client.force_login(gold)
    assert join(client, session).status_code == 302
    other = _subscribed("second@example.test", "Second Gold", tiers["gold"])
    client.force_login(other)
    assert join(client, session).status_code == 409
    client.force_login(gold)
    assert join(client, session).status_code == 302


def test_a_meeting_still_being_prepared_says_so(client, open_session, enrolled_gold):
    open_session.join_url = ""
    open_session.save()
    client.force_login(enrolled_gold)
    response = join(client, open_session)
    assert response.status_code == 409
    assert "being prepared" in response.content.decode()


def test_unknown_session_is_404(client, enrolled_gold):
    client.force_login(enrolled_gold)
    assert client.get(reverse("live:join", args=[999999])).status_code == 404


def test_session_page_offers_join_to_gold_and_upgrade_to_bronze(client, open_session, enrolled_gold, bronze):
    client.force_login(enrolled_gold)
    page = client.get(reverse("live:detail", args=[open_session.pk])).content.decode()
    assert reverse("live:join", args=[open_session.pk]) in page
    assert open_session.join_url not in page
    client.force_login(bronze)
    page = client.get(reverse("live:detail", args=[open_session.pk])).content.decode()
    assert reverse("live:join", args=[open_session.pk]) not in page
    assert "Gold membership" in page
