"""My learning: courses with progress and a continue link to the right second."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from learning.enrollment import enroll
from learning.models import Enrollment, LessonProgress
from learning.progress import complete_lesson

from .conftest import reading_course, video_course

pytestmark = pytest.mark.django_db


def test_my_learning_needs_login(client):
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_empty_dashboard_invites_to_browse(client, learner, catalog):
    client.force_login(learner)
    html = client.get(reverse("learning:dashboard")).content.decode()
    assert "not enrolled in any course yet" in html and catalog.url in html


def test_each_course_shows_progress_and_continues_at_the_right_second(client, learner, catalog):
    course, lessons = video_course(catalog, lessons=3, title="Clips")
    enroll(learner, course)
    complete_lesson(learner, lessons[0])
    LessonProgress.objects.create(
        user=learner, lesson=lessons[1], position_seconds=42.7, duration_seconds=100
    )
    Enrollment.objects.filter(user=learner).update(last_lesson=lessons[1], last_activity_at=timezone.now())
    client.force_login(learner)
    response = client.get(reverse("learning:dashboard"))
    html = response.content.decode()
    (item,) = response.context["courses"]
    assert item.percent == 33 and item.completed == 1
    assert f'href="{lessons[1].url}?t=42"' in html
    assert "33% complete" in html and "1 of 3 lessons done" in html
    assert response["Cache-Control"].startswith("private")


def test_continue_moves_to_the_next_unfinished_lesson_once_the_last_one_is_done(client, learner, catalog):
    course, lessons = reading_course(catalog, lessons=3)
    complete_lesson(learner, lessons[0])  # also enrolls, last lesson = lessons[0]
    client.force_login(learner)
    (item,) = client.get(reverse("learning:dashboard")).context["courses"]
    assert item.continue_lesson.pk == lessons[1].pk and item.continue_seconds == 0


def test_courses_are_listed_by_latest_activity_and_cancelled_ones_are_hidden(client, learner, catalog):
    older, _ = reading_course(catalog, lessons=1, title="Older")
    newer, _ = reading_course(catalog, lessons=1, title="Newer")
    dropped, _ = reading_course(catalog, lessons=1, title="Dropped")
    for course in (older, newer, dropped):
        enroll(learner, course)
    now = timezone.now()
    Enrollment.objects.filter(course=older).update(last_activity_at=now - timedelta(days=2))
    Enrollment.objects.filter(course=newer).update(last_activity_at=now)
    Enrollment.objects.filter(course=dropped).update(status="cancelled")
    client.force_login(learner)
    titles = [item.course.title for item in client.get(reverse("learning:dashboard")).context["courses"]]
    assert titles == ["Newer", "Older"]


def test_subscription_status_shows_the_plan_and_its_end(client, gold):
    client.force_login(gold)
    response = client.get(reverse("learning:dashboard"))
    html = response.content.decode()
    subscription = response.context["subscription"]
    assert subscription.tier.slug == "gold" and "Gold" in html
    assert reverse("memberships:mine") in html
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    assert date_format(localtime(subscription.ends_at), "DATE_FORMAT") in html


def test_the_header_links_to_my_learning_and_notifications(client, learner, home):
    client.force_login(learner)
    html = client.get(reverse("learning:dashboard")).content.decode()
    assert 'href="/learning/"' in html and 'href="/notifications/"' in html
