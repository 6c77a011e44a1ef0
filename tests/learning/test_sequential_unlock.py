"""Sequential courses: locks and ticks in the outline, "finish X first" on the page."""

from django.urls import reverse

import pytest

from learning.progress import complete_lesson
from memberships import policy

from .conftest import reading_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def steps(catalog, instructor):
    course, lessons = reading_course(catalog, lessons=3, title="Steps", is_sequential=True)
    course.instructors.add(instructor)
    course.save_revision().publish()
    return course, lessons


def rows(html: str) -> dict:
    """lesson title → state ("done", "locked" or "open") from the outline's markup."""
    import re

    states = {}
    for match in re.finditer(
        r'<li class="lesson-row( lesson-row--(\w+))?">.*?lesson-row__title"[^>]*>([^<]+)</a>', html, re.S
    ):
        states[match.group(3)] = match.group(2) or "open"
    return states


def test_the_outline_shows_ticks_and_locks_as_the_learner_moves_on(client, learner, steps):
    course, lessons = steps
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert rows(html) == {"Steps lesson 1": "open", "Steps lesson 2": "locked", "Steps lesson 3": "locked"}
    assert "Lessons open in order" in html
    complete_lesson(learner, lessons[0])
    html = client.get(course.url).content.decode()
    assert rows(html) == {"Steps lesson 1": "done", "Steps lesson 2": "open", "Steps lesson 3": "locked"}
    assert "33% complete" in html


def test_a_locked_lesson_says_which_lesson_to_finish_with_403_private(client, learner, steps):
    course, lessons = steps
    client.force_login(learner)
    response = client.get(lessons[2].url)
    assert response.status_code == 403
    assert response["Cache-Control"].startswith("private")
    html = response.content.decode()
    # The first lesson not done yet, with a link to it.
    assert "Finish “Steps lesson 1” first" in html and lessons[0].url in html
    assert "Lesson body text for learners." not in html  # never the body


def test_after_finishing_the_previous_lesson_the_page_opens(client, learner, steps):
    course, lessons = steps
    client.force_login(learner)
    client.post(reverse("learning:lesson_complete", args=[lessons[0].pk]))
    assert client.get(lessons[1].url).status_code == 200
    assert client.get(lessons[2].url).status_code == 403


def test_skipping_ahead_by_marking_a_locked_lesson_done_is_refused(client, learner, steps):
    course, lessons = steps
    client.force_login(learner)
    assert client.post(reverse("learning:lesson_complete", args=[lessons[1].pk])).status_code == 403
    assert policy.completed_lessons(learner, course) == set()


@pytest.mark.parametrize("who", ["instructor", "editor"])
def test_staff_and_the_courses_instructors_are_exempt(who, request, client, steps):
    course, lessons = steps
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(lessons[2].url).status_code == 200
    assert "lesson-row--locked" not in client.get(course.url).content.decode()


def test_another_courses_instructor_is_not_exempt(client, other_instructor, steps):
    course, lessons = steps
    client.force_login(other_instructor)
    assert client.get(lessons[1].url).status_code == 403


def test_a_preview_lesson_is_never_locked(client, learner, catalog):
    from ..factories import LessonPageFactory

    course, lessons = reading_course(catalog, lessons=2, title="With preview", is_sequential=True)
    preview = LessonPageFactory(parent=lessons[0].get_parent(), title="Sample", is_preview=True)
    client.force_login(learner)
    assert client.get(preview.url).status_code == 200


def test_the_tier_refusal_comes_before_the_lock(client, bronze, catalog, tiers):
    course, lessons = reading_course(
        catalog, lessons=2, title="Gold steps", is_sequential=True, required_tier=tiers["gold"]
    )
    client.force_login(bronze)
    response = client.get(lessons[1].url)
    assert response.status_code == 403 and "/membership/" in response.content.decode()
    assert policy.can_play(bronze, lessons[1]).reason == policy.Reason.TIER_TOO_LOW


def test_a_non_sequential_course_never_locks(client, learner, catalog):
    course, lessons = reading_course(catalog, lessons=3, title="Free order")
    client.force_login(learner)
    assert client.get(lessons[2].url).status_code == 200
    assert policy.locked_lessons(learner, course) == set()


def test_an_open_preview_lesson_cannot_be_used_to_skip_ahead(client, learner, catalog):
    from ..factories import LessonPageFactory

    course, (first,) = reading_course(catalog, lessons=1, title="Skip", is_sequential=True)
    module = first.get_parent()
    sample = LessonPageFactory(parent=module, title="Sample", is_preview=True)
    after = LessonPageFactory(parent=module, title="After the sample")
    complete_lesson(learner, sample)  # the preview is always open, so it can be done first
    refused = policy.can_view(learner, after)
    assert refused.reason == policy.Reason.LOCKED and refused.finish_first.pk == first.pk
    assert after.pk in policy.locked_lessons(learner, course)
    complete_lesson(learner, first)
    policy.forget_completions(learner)
    assert policy.can_view(learner, after)
