"""Invitations as calendar apps read them: parsed back with icalendar and checked line
by line against RFC 5545, REQUEST then CANCEL with the same UID and a higher
SEQUENCE, local times with a TZID and a matching VTIMEZONE."""

from datetime import UTC, datetime
from email import message_from_bytes

from django.core import mail

import pytest
from icalendar import Calendar

from live import services
from live.invitations import build_ics
from live.models import LiveSession

from .conftest import enroll
from .factories import LiveSessionFactory


@pytest.fixture
def planned(course, instructor):
    return LiveSessionFactory(
        course=course,
        created_by=instructor,
        title="Office hours",
        starts_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 13, 30, tzinfo=UTC),
        time_zone="Europe/Berlin",
    )


def event_of(ics: bytes):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_request_carries_uid_sequence_and_local_time_with_its_zone(planned, gold):
    calendar, event = event_of(build_ics(planned, "REQUEST", attendee=gold))

    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["PRODID"]) == "-//Lectern//Live sessions//EN"
    assert str(event["UID"]) == planned.ical_uid
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset().total_seconds() == 3600
    assert (start.hour, start.minute) == (13, 0)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTEND"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["URL"]) == f"https://lectern.example/live/{planned.pk}/join/"
    assert str(event["LOCATION"]) == str(event["URL"])
    assert planned.join_url not in event.to_ical().decode()
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["ATTENDEE"]) == f"mailto:{gold.email}"
    assert "DTSTAMP" in event and str(event["SUMMARY"]) == "Office hours"


def test_raw_lines_follow_rfc5545(planned):
    text = build_ics(planned, "REQUEST").decode()
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "DTSTART;TZID=Europe/Berlin:20261201T130000" in lines
    assert "DTEND;TZID=Europe/Berlin:20261201T143000" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_reschedule_then_cancel_keep_the_uid_and_raise_the_sequence(
    planned, enrolled_gold, django_capture_on_commit_callbacks
):
    uid = planned.ical_uid
    before = services.snapshot(planned)
    planned.starts_at = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    planned.ends_at = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_changes(planned, before)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(LiveSession.objects.get(pk=planned.pk))

    update, cancel = (calendar_in(message) for message in mail.outbox)
    assert (str(update[0]["METHOD"]), str(cancel[0]["METHOD"])) == ("REQUEST", "CANCEL")
    assert str(update[1]["UID"]) == str(cancel[1]["UID"]) == uid
    assert int(update[1]["SEQUENCE"]) == 1
    assert int(cancel[1]["SEQUENCE"]) == 2
    assert str(cancel[1]["STATUS"]) == "CANCELLED"
    assert update[1].decoded("DTSTART").day == 2
    assert "changed" in mail.outbox[0].subject and "cancelled" in mail.outbox[1].subject


def calendar_in(message):
    parsed = message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename().endswith(".ics")
    return event_of(part.get_payload(decode=True))


def test_an_unchanged_save_sends_nothing_and_keeps_the_sequence(
    planned, enrolled_gold, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.save_changes(planned, services.snapshot(planned))
    planned.refresh_from_db()
    assert planned.ical_sequence == 0
    assert mail.outbox == []


def test_capacity_change_alone_does_not_reinvite(planned, enrolled_gold, django_capture_on_commit_callbacks):
    before = services.snapshot(planned)
    planned.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        services.save_changes(planned, before)
    assert mail.outbox == []


def test_only_entitled_enrolled_learners_are_invited(
    course, instructor, tiers, gold, silver, bronze, lapsed, django_capture_on_commit_callbacks
):
    from tests.conftest import _subscribed

    enroll(gold, course)
    enroll(silver, course)
    enroll(bronze, course)
    enroll(lapsed, course)
    finished = _subscribed("finished@example.test", "Fin Ished", tiers["gold"])
    enroll(finished, course, status="completed")
    dropped = _subscribed("dropped@example.test", "Drop Ped", tiers["gold"])
    enroll(dropped, course, status="cancelled")
    _subscribed("unenrolled@example.test", "Un Enrolled", tiers["gold"])

    session = LiveSessionFactory.build(course=course, provider="jitsi", join_url="")
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_session(session, actor=instructor)

    assert sorted(m.to[0] for m in mail.outbox) == ["finished@example.test", "gold@example.test"]
    assert all("live session" in m.subject for m in mail.outbox)
    from notifications.models import Notification

    assert Notification.objects.filter(kind="live_invitation").count() == 2


def test_invitation_mail_shows_the_start_in_the_sessions_own_zone(
    course, instructor, gold, django_capture_on_commit_callbacks
):
    """Planned for 12:00 UTC in Berlin: the mail says 13:00 (Europe/Berlin), not the
    site's own clock (Asia/Ho_Chi_Minh, 19:00) under the session's zone name."""
    enroll(gold, course)
    session = LiveSessionFactory.build(
        course=course,
        provider="jitsi",
        join_url="",
        starts_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 13, 0, tzinfo=UTC),
        time_zone="Europe/Berlin",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_session(session, actor=instructor)

    (message,) = mail.outbox
    assert "13:00 (Europe/Berlin)" in message.subject
    assert "19:00" not in message.subject
