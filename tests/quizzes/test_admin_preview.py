"""Editors preview a quiz in the Wagtail admin with the correct answers marked."""

import json

from django.urls import reverse

import pytest

from .conftest import QUIZ_ID
from .factories import choice, question, quiz

pytestmark = pytest.mark.django_db


def _preview_url(lesson):
    return reverse("quizzes_admin_preview", args=[lesson.pk])


def test_an_editor_sees_every_question_with_the_correct_choices_marked(client, editor, quiz_lesson):
    client.force_login(editor)
    response = client.get(_preview_url(quiz_lesson))
    html = response.content.decode()
    assert response.status_code == 200
    for prompt in ("Which clause filters groups?", "Which are aggregate functions?", "Which join keeps"):
        assert prompt in html
    assert html.count("quiz-choice--correct") == 5  # HAVING; count, sum, avg; LEFT JOIN
    assert "BECAUSE HAVING runs after GROUP BY." in html
    assert "Pass mark 70 %" in html


def test_the_preview_reads_the_latest_draft(client, editor, quiz_lesson):
    revised = quiz_lesson.specific
    revised.body = json.dumps(
        [quiz([question("A draft-only question?", [choice("Yes", True), choice("No")])], block_id=QUIZ_ID)]
    )
    revised.save_revision(user=editor)
    client.force_login(editor)
    html = client.get(_preview_url(quiz_lesson)).content.decode()
    assert "A draft-only question?" in html
    assert "Which clause filters groups?" not in html


def test_the_lesson_edit_view_and_listing_offer_preview_quiz(client, editor, quiz_lesson):
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[quiz_lesson.pk])).content.decode()
    assert _preview_url(quiz_lesson) in edit
    listing = client.get(reverse("wagtailadmin_explore", args=[quiz_lesson.get_parent().pk])).content.decode()
    assert _preview_url(quiz_lesson) in listing
    course_listing = client.get(
        reverse("wagtailadmin_explore", args=[quiz_lesson.get_parent().get_parent().pk])
    )
    assert "quizzes/preview" not in course_listing.content.decode()  # modules have no quiz


@pytest.mark.parametrize("who", ["gold", "bronze"])
def test_learners_cannot_open_the_preview(client, request, who, quiz_lesson):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_preview_url(quiz_lesson))
    assert response.status_code in (302, 403)
    assert "BECAUSE" not in response.content.decode()


def test_visitors_are_sent_to_the_admin_login(client, quiz_lesson):
    response = client.get(_preview_url(quiz_lesson))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_who_may_not_edit_the_lesson_are_refused(client, other_instructor, quiz_lesson):
    client.force_login(other_instructor)
    response = client.get(_preview_url(quiz_lesson))
    assert response.status_code in (302, 403)
    assert "BECAUSE" not in response.content.decode()


def test_a_page_that_is_not_a_lesson_has_no_quiz_preview(client, editor, quiz_lesson):
    client.force_login(editor)
    assert client.get(reverse("quizzes_admin_preview", args=[quiz_lesson.get_parent().pk])).status_code in (
        302,
        403,
    )
    assert client.get(reverse("quizzes_admin_preview", args=[999999])).status_code == 404
