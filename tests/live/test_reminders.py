"""Reminders 24 h and 1 h before, each sent once, from the schedule `migrate` creates."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest
from django_q.models import Schedule

from live.models import LiveSession, SessionReminder
from live.schedules import REMINDER_SCHEDULE, ensure_schedules
from live.tasks import send_due_reminders

from .factories import LiveSessionFactory


@pytest.fixture
def tomorrow(course, instructor):
    now = timezone.now()
    session = LiveSessionFactory(
        course=course, starts_at=now + timedelta(hours=30), ends_at=now + timedelta(hours=31)
    )
    LiveSession.objects.filter(pk=session.pk).update(created_at=now - timedelta(days=2))
    return LiveSession.objects.get(pk=session.pk)


def run(now, capture):
    with capture(execute=True):
        return send_due_reminders(now=now)


def test_each_reminder_is_sent_once(tomorrow, enrolled_gold, django_capture_on_commit_callbacks):
    start = tomorrow.starts_at
    assert run(start - timedelta(hours=25), django_capture_on_commit_callbacks) == 0
    assert run(start - timedelta(hours=23, minutes=55), django_capture_on_commit_callbacks) == 1
    assert run(start - timedelta(hours=23, minutes=50), django_capture_on_commit_callbacks) == 0
    assert run(start - timedelta(minutes=55), django_capture_on_commit_callbacks) == 1
    assert run(start - timedelta(minutes=50), django_capture_on_commit_callbacks) == 0

    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 2
    assert subjects[0].startswith("Tomorrow") and subjects[1].startswith("In one hour")
    assert set(SessionReminder.objects.values_list("kind", flat=True)) == {"24h", "1h"}
    assert all(m.attachments for m in mail.outbox)


def test_a_session_planned_at_short_notice_gets_only_the_hour_reminder(
    course, enrolled_gold, django_capture_on_commit_callbacks
):
    session = LiveSessionFactory(course=course, starts_at=timezone.now() + timedelta(hours=3))
    assert run(session.starts_at - timedelta(minutes=59), django_capture_on_commit_callbacks) == 1
    assert list(SessionReminder.objects.values_list("kind", flat=True)) == ["1h"]


def test_cancelled_sessions_get_no_reminders(tomorrow, enrolled_gold, django_capture_on_commit_callbacks):
    tomorrow.status = "cancelled"
    tomorrow.save()
    assert run(tomorrow.starts_at - timedelta(minutes=30), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_second_worker_cannot_send_the_same_reminder(tomorrow, enrolled_gold):
    from django.db import IntegrityError, transaction

    SessionReminder.objects.create(session=tomorrow, kind="1h")
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionReminder.objects.create(session=tomorrow, kind="1h")


def test_migrate_creates_the_reminder_schedule_once(db):
    ensure_schedules()
    ensure_schedules()
    schedule = Schedule.objects.get(name=REMINDER_SCHEDULE)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "live.tasks.send_due_reminders",
        "I",
        5,
    )


def test_migrate_runs_the_schedule_hook(db):
    Schedule.objects.filter(name=REMINDER_SCHEDULE).delete()
    call_command("migrate", "live", verbosity=0)
    assert Schedule.objects.filter(name=REMINDER_SCHEDULE).count() == 1
