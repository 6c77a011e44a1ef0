"""Constant query counts: the dashboard whatever the number of courses, the course page
with per-learner progress and the lesson page whatever the size of the course."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from learning.enrollment import enroll
from learning.models import LessonProgress
from learning.progress import complete_lesson

from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory, VideoFactory

pytestmark = pytest.mark.django_db


def queries(client, url, status=200):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status
    return len(captured)


def course_with(parent, title, modules, lessons, **fields):
    course = CoursePageFactory(parent=parent, title=title, **fields)
    items = []
    for m in range(modules):
        module = ModulePageFactory(parent=course, title=f"{title} module {m}")
        for n in range(lessons):
            video = VideoFactory(duration_seconds=120) if n % 2 else None
            items.append(LessonPageFactory(parent=module, title=f"{title} {m}.{n}", video=video))
    return course, items


def enrolled_in(user, catalog, how_many):
    for i in range(how_many):
        course, lessons = course_with(catalog, f"{user.email} course {i}", modules=2, lessons=2)
        enroll(user, course)
        complete_lesson(user, lessons[0])
        LessonProgress.objects.update_or_create(
            user=user, lesson=lessons[1], defaults={"position_seconds": 30, "duration_seconds": 120}
        )


def test_the_dashboard_costs_the_same_with_2_and_20_courses(client, catalog, learner, bronze):
    """Two learners on the same (free) plan, one with 2 courses, one with 20."""
    many_courses_learner = bronze
    enrolled_in(learner, catalog, 2)
    enrolled_in(many_courses_learner, catalog, 20)
    url = reverse("learning:dashboard")
    client.force_login(learner)
    queries(client, url)  # warm per-process caches
    few = queries(client, url)
    client.force_login(many_courses_learner)
    response = client.get(url)
    assert len(response.context["courses"]) == 20
    many = queries(client, url)
    assert few == many


def test_the_course_page_with_progress_costs_the_same_for_any_course_size(client, catalog, gold):
    small, small_lessons = course_with(catalog, "Small", 2, 2, is_sequential=True)
    large, large_lessons = course_with(catalog, "Large", 8, 8, is_sequential=True)
    for course, lessons in ((small, small_lessons), (large, large_lessons)):
        enroll(gold, course)
        complete_lesson(gold, lessons[0])
    client.force_login(gold)
    queries(client, small.url)
    assert queries(client, small.url) == queries(client, large.url)
    assert client.get(large.url).context["completed_lesson_ids"] == {large_lessons[0].pk}


def test_the_lesson_page_costs_the_same_for_any_course_size(client, catalog, gold, tiers):
    small, small_lessons = course_with(
        catalog, "Small", 2, 2, required_tier=tiers["gold"], is_sequential=True
    )
    large, large_lessons = course_with(
        catalog, "Large", 8, 8, required_tier=tiers["gold"], is_sequential=True
    )
    for course, lessons in ((small, small_lessons), (large, large_lessons)):
        enroll(gold, course)
        complete_lesson(gold, lessons[0])
    client.force_login(gold)
    queries(client, small_lessons[1].url)
    small_count = queries(client, small_lessons[1].url)
    assert small_count == queries(client, large_lessons[1].url)
