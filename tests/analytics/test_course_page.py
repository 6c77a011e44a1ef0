"""The per-course analytics page: enrollment trend and per-lesson drop-off, scoped."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from analytics import rollups
from analytics.models import EventKind
from learning.models import Enrollment, LessonPage, LessonProgress
from tests.factories import UserFactory

from .conftest import at, event

pytestmark = pytest.mark.django_db


def _url(course, **params):
    url = reverse("analytics_admin:course", args=[course.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def learners_progress(course, yesterday):
    """Four enrolled learners: all reached lesson 1, three lesson 2, one finished lesson 3;
    a learner who is not enrolled has progress that must not count."""
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    learners = [UserFactory() for _ in range(4)]
    now = timezone.now()
    for learner in learners:
        Enrollment.objects.create(user=learner, course=course)
        event(EventKind.ENROLLMENT, at(yesterday), user=learner, course_id=course.pk)
    for index, learner in enumerate(learners):
        LessonProgress.objects.create(user=learner, lesson=lessons[0], completed_at=now)
        if index < 3:
            LessonProgress.objects.create(
                user=learner, lesson=lessons[1], completed_at=now if index < 2 else None
            )
        if index == 0:
            LessonProgress.objects.create(user=learner, lesson=lessons[2], completed_at=now)
    LessonProgress.objects.create(user=UserFactory(), lesson=lessons[0])
    rollups.rollup_day(yesterday)
    return lessons


def test_admin_sees_trend_and_drop_off_in_outline_order(
    client, admin_user, course, learners_progress, yesterday
):
    client.force_login(admin_user)
    response = client.get(_url(course, range=7))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    detail = response.context["detail"]
    assert detail["enrolled_total"] == 4
    assert detail["range_enrollments"] == 4
    assert [(lesson["title"], lesson["reached"], lesson["completed"]) for lesson in detail["lessons"]] == [
        ("Pandas in practice lesson 1", 4, 4),
        ("Pandas in practice lesson 2", 3, 2),
        ("Pandas in practice lesson 3", 1, 1),
    ]
    assert dict(detail["trend"])[yesterday] == 4
    html = response.content.decode()
    assert '<desc id="enrollment-chart-desc">New enrollments per day: 4 in total over 7 days' in html
    assert "figures as a table" in html


def test_instructor_opens_their_own_course(client, instructor, admin_access, course, learners_progress):
    client.force_login(instructor)
    assert client.get(_url(course)).status_code == 200


def test_another_instructors_course_is_not_found(client, other_instructor, admin_access, course):
    client.force_login(other_instructor)
    assert client.get(_url(course)).status_code == 404


def test_unknown_course_is_not_found(client, admin_user, course):
    client.force_login(admin_user)
    assert client.get(reverse("analytics_admin:course", args=[999_999])).status_code == 404


def test_visitors_and_learners_cannot_open_it(client, learner, course):
    response = client.get(_url(course))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(learner)
    assert client.get(_url(course)).status_code in (302, 403)


def test_a_bad_range_falls_back_to_30_days(client, admin_user, course):
    client.force_login(admin_user)
    response = client.get(_url(course, range="x' OR 1=1"))
    assert response.status_code == 200
    assert response.context["days"] == 30
    assert len(response.context["detail"]["trend"]) == 30


def test_course_with_no_learners_shows_zeros(client, admin_user, course):
    client.force_login(admin_user)
    detail = client.get(_url(course)).context["detail"]
    assert detail["enrolled_total"] == 0
    assert all(lesson["reached"] == 0 for lesson in detail["lessons"])


def test_an_old_enrollment_is_outside_a_7_day_trend(client, admin_user, course, yesterday):
    old_day = yesterday - timedelta(days=10)
    event(EventKind.ENROLLMENT, at(old_day), user=admin_user, course_id=course.pk)
    rollups.rollup_day(old_day)
    client.force_login(admin_user)
    assert client.get(_url(course, range=7)).context["detail"]["range_enrollments"] == 0
    assert client.get(_url(course, range=30)).context["detail"]["range_enrollments"] == 1
