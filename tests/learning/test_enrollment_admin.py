"""The Enrollments admin: content staff see all, instructors only their own courses."""

from django.urls import reverse

import pytest

from learning.enrollment import enroll

from ..factories import UserFactory
from .conftest import reading_course

pytestmark = pytest.mark.django_db

INDEX = "enrollments:index"


@pytest.fixture
def enrollments(catalog, instructor, other_instructor):
    mine, _ = reading_course(catalog, lessons=1, title="Taught by Ines")
    theirs, _ = reading_course(catalog, lessons=1, title="Taught by Omar")
    mine.instructors.add(instructor)
    mine.save_revision().publish()
    theirs.instructors.add(other_instructor)
    theirs.save_revision().publish()
    enroll(UserFactory(email="mine.learner@example.test"), mine)
    enroll(UserFactory(email="their.learner@example.test"), theirs)
    return mine, theirs


def test_an_instructor_sees_only_their_courses_enrollments(client, instructor, enrollments):
    client.force_login(instructor)
    html = client.get(reverse(INDEX)).content.decode()
    assert "mine.learner@example.test" in html
    assert "their.learner@example.test" not in html


def test_content_staff_see_every_enrollment(client, editor, enrollments):
    client.force_login(editor)
    html = client.get(reverse(INDEX)).content.decode()
    assert "mine.learner@example.test" in html and "their.learner@example.test" in html


def test_nobody_edits_enrollments_by_hand(client, admin_user, enrollments):
    client.force_login(admin_user)
    assert client.get(reverse(INDEX)).status_code == 200
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("enrollments:inspect", args=[1])
    assert client.get("/admin/learning/enrollments/new/").status_code in (302, 403)


def test_learners_and_staff_without_courses_cannot_open_the_list(client, learner, enrollments):
    client.force_login(learner)
    assert client.get(reverse(INDEX)).status_code == 302  # not in the admin at all
    teacherless = UserFactory(email="staff.nocourse@example.test", is_staff=True)
    from django.contrib.auth.models import Group

    teacherless.groups.add(Group.objects.get(name="Instructors"))
    client.force_login(teacherless)
    assert client.get(reverse(INDEX)).status_code in (302, 403)
