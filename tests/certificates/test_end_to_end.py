"""From the last lesson to the inbox, through LEARNING's own completion service."""

import threading
from contextlib import nullcontext

from django.core import mail
from django.db import connection, connections

import pytest

from certificates.models import Certificate
from learning.progress import complete_lesson
from notifications.models import EmailLog
from tests.conftest import _subscribed
from tests.factories import build_course


def _lessons(course):
    from learning.models import LessonPage

    return list(LessonPage.objects.descendant_of(course).live().order_by("path"))


@pytest.mark.django_db
def test_finishing_every_lesson_issues_mails_and_lists_the_certificate(
    gold, gold_course, django_capture_on_commit_callbacks, client
):
    lessons = _lessons(gold_course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons[:-1]:
            complete_lesson(gold, lesson)
    assert not Certificate.objects.exists()  # not finished yet
    with django_capture_on_commit_callbacks(execute=True):
        complete_lesson(gold, lessons[-1])
    certificate = Certificate.objects.get(user=gold, course=gold_course)
    assert EmailLog.objects.filter(template="certificate_issued", user=gold).count() == 1
    client.force_login(gold)
    assert certificate.number in client.get("/learning/").content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_concurrent_final_lesson_completions_make_one_certificate(tiers, catalog):
    course = build_course(catalog, modules=1, lessons=2, title="Photo finish", required_tier=tiers["gold"])
    learner = _subscribed("finisher@example.test", "Fin Isher", tiers["gold"])
    first, last = _lessons(course)
    complete_lesson(learner, first)
    start = threading.Barrier(10)
    one_at_a_time = nullcontext() if connection.vendor == "postgresql" else threading.Lock()
    errors = []

    def finish():
        try:
            start.wait(timeout=30)
            with one_at_a_time:
                complete_lesson(learner, last)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finish) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert Certificate.objects.filter(user=learner, course=course).count() == 1
    assert len([m for m in mail.outbox if m.subject.startswith("Your certificate")]) == 1
