"""complete_lesson: idempotent, counts course progress, completes the course once."""

import threading
from contextlib import nullcontext

from django.db import connection

import pytest

from learning.enrollment import enroll
from learning.models import Enrollment, EnrollmentStatus, LessonProgress
from learning.progress import complete_lesson, lesson_has_required_quiz
from learning.signals import course_completed, lesson_completed
from notifications.models import EmailLog, Notification

from .conftest import quiz_body, reading_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals_seen():
    seen = {"lesson": [], "course": []}
    lesson_completed.connect(
        lambda **kw: seen["lesson"].append(kw["lesson"].pk), weak=False, dispatch_uid="t-l"
    )
    course_completed.connect(
        lambda **kw: seen["course"].append(kw["enrollment"].pk), weak=False, dispatch_uid="t-c"
    )
    yield seen
    lesson_completed.disconnect(dispatch_uid="t-l")
    course_completed.disconnect(dispatch_uid="t-c")


def test_completing_every_lesson_completes_the_course_once(learner, catalog, signals_seen):
    course, lessons = reading_course(catalog, lessons=3)
    enroll(learner, course)
    for lesson in lessons[:2]:
        complete_lesson(learner, lesson)
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.progress_percent == 66 and enrollment.completed_at is None
    complete_lesson(learner, lessons[2])
    complete_lesson(learner, lessons[2])  # again: nothing more happens
    complete_lesson(learner, lessons[0], source="quiz")
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED and enrollment.progress_percent == 100
    assert enrollment.last_lesson_id == lessons[2].pk
    assert signals_seen["lesson"] == [lesson.pk for lesson in lessons]
    assert signals_seen["course"] == [enrollment.pk]
    assert EmailLog.objects.filter(user=learner, template="course_completed").count() == 1
    assert Notification.objects.filter(user=learner, kind="course_completed").count() == 1


def test_course_progress_is_recounted_in_constant_queries(learner, catalog):
    from django.test.utils import CaptureQueriesContext

    def queries_to_complete(course, lesson):
        lesson = type(lesson).objects.get(pk=lesson.pk)  # a fresh object, as in a request
        with CaptureQueriesContext(connection) as captured:
            complete_lesson(learner, lesson)
        return len(captured)

    small, small_lessons = reading_course(catalog, lessons=3, title="Small")
    large, large_lessons = reading_course(catalog, lessons=30, title="Large")
    enroll(learner, small)
    enroll(learner, large)
    assert queries_to_complete(small, small_lessons[0]) == queries_to_complete(large, large_lessons[0])


def test_completion_enrolls_a_learner_who_had_not_enrolled(learner, catalog):
    course, (lesson,) = reading_course(catalog, lessons=1)
    complete_lesson(learner, lesson)
    assert Enrollment.objects.get(user=learner, course=course).status == EnrollmentStatus.COMPLETED


def test_lesson_has_required_quiz_reads_the_body(catalog):
    course, (plain, required, optional) = reading_course(catalog, lessons=3)
    required.body = quiz_body(required=True)
    optional.body = quiz_body(required=False)
    assert not lesson_has_required_quiz(plain)
    assert lesson_has_required_quiz(required)
    assert not lesson_has_required_quiz(optional)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_completions_of_the_last_lessons_complete_the_course_exactly_once(catalog, learner):
    """On PostgreSQL the ten threads really run at once and queue on the enrollment's
    row lock; SQLite has no row locks (a second writer gets "database is locked"), so
    there the same threads take turns through the same function."""
    course, lessons = reading_course(catalog, lessons=10, title="Race course")
    enroll(learner, course)
    seen = []
    course_completed.connect(lambda **kw: seen.append(kw["enrollment"].pk), weak=False, dispatch_uid="race")
    barrier = threading.Barrier(len(lessons))
    one_at_a_time = nullcontext() if connection.vendor == "postgresql" else threading.Lock()
    errors = []

    def finish(lesson):
        try:
            barrier.wait(timeout=20)
            with one_at_a_time:
                complete_lesson(learner, type(lesson).objects.get(pk=lesson.pk))
        except Exception as error:  # noqa: BLE001 (any failure in a thread is asserted below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=finish, args=(lesson,)) for lesson in lessons]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        course_completed.disconnect(dispatch_uid="race")
    assert not errors
    assert LessonProgress.objects.filter(user=learner, completed_at__isnull=False).count() == 10
    assert len(seen) == 1
    assert Enrollment.objects.get(user=learner, course=course).status == EnrollmentStatus.COMPLETED
