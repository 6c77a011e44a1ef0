"""Ten completions of the same enrollment at once make exactly one certificate.

On PostgreSQL the ten threads really run at once (a barrier releases them together);
they all pass the "is there one already?" read, and the (user, course) unique
constraint is what leaves one row: the losers' inserts fail and they return the
winner's certificate. Without the constraint this test makes several certificates.
SQLite answers a second concurrent writer with "database is locked", so there the same
threads take turns through the same code and the outcome asked is the same.
"""

import threading
from contextlib import nullcontext

from django.core import mail
from django.db import connection, connections

import pytest

from certificates.models import Certificate
from learning.models import Enrollment
from learning.signals import course_completed
from notifications.models import EmailLog, Notification
from tests.conftest import _subscribed
from tests.factories import build_course

RACERS = 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_completions_make_exactly_one_certificate(tiers, catalog):
    course = build_course(catalog, modules=1, lessons=1, title="Race Course", required_tier=tiers["gold"])
    learner = _subscribed("racer@example.test", "Rita Racer", tiers["gold"])
    enrollment = Enrollment.objects.create(
        user=learner, course=course, status="completed", progress_percent=100
    )
    start = threading.Barrier(RACERS)
    one_at_a_time = nullcontext() if connection.vendor == "postgresql" else threading.Lock()
    numbers, errors = [], []

    def complete():
        try:
            own = Enrollment.objects.select_related("user", "course").get(pk=enrollment.pk)
            start.wait(timeout=30)
            with one_at_a_time:
                course_completed.send(sender=Enrollment, enrollment=own)
            numbers.append(Certificate.objects.get(user_id=own.user_id).number)
        except Exception as error:  # noqa: BLE001 - reported below, a thread must not die silently
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert Certificate.objects.filter(user=learner, course=course).count() == 1
    assert len(numbers) == RACERS and len(set(numbers)) == 1
    # The job ran once for the one certificate: one mail, one notice.
    assert EmailLog.objects.filter(template="certificate_issued", user=learner).count() == 1
    assert Notification.objects.filter(user=learner, kind="certificate_issued").count() == 1
    assert len([m for m in mail.outbox if numbers[0] in m.body]) == 1
