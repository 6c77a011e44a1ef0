"""An editor authors a course through the Wagtail admin: drafts, preview, moderation, publishing.

The editor is in Wagtail's "Editors" group, which Lectern lets publish (home migration
0004): an editor drafts, previews and publishes. Wagtail's "Moderators approval" workflow
stays on the tree, so an editor may also submit for review and a moderator approves.
"""

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest
from bs4 import BeautifulSoup

from learning.models import CoursePage, LessonPage, Level, ModulePage

from ..factories import CoursePageFactory, ModulePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    user = UserFactory(email="moderator@example.test", full_name="Mai Moderator", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def visitor():
    return Client()


def _course_data(**extra) -> dict:
    data = nested_form_data(
        {
            # Content tab
            "title": "Practical SQL",
            "slug": "practical-sql",
            "summary": "Query real data with confidence.",
            "cover_image": "",
            "body": streamfield([("paragraph", rich_text("<p>From SELECT to window functions.</p>"))]),
            "objectives": streamfield([("objective", "Write a join")]),
            "requirements": streamfield([]),
            # Details tab
            "category": "",
            "level": Level.BEGINNER,
            "language": "en",
            "tags": "sql",
            # Access tab
            "required_tier": "",
            # Promote tab
            "seo_title": "",
            "search_description": "",
        }
    )
    data.update(extra)
    return data


def _module_data(**extra) -> dict:
    return {"title": "Foundations", "slug": "foundations", "summary": "Tables and rows.", **extra}


def _lesson_data(text="Every table has rows.", **extra) -> dict:
    data = nested_form_data(
        {
            "title": "Your first query",
            "slug": "your-first-query",
            "summary": "SELECT and FROM.",
            "video": "",
            "duration_minutes": "12",
            "body": streamfield(
                [
                    ("paragraph", rich_text(f"<p>{text}</p>")),
                    ("code", {"language": "sql", "caption": "Try it", "code": "SELECT title FROM course;"}),
                ]
            ),
            "attachments": streamfield([]),
            "required_tier": "",
        }
    )
    data.update(extra)
    return data


def _add(client, model, parent, data):
    url = reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return model.objects.get(slug=data["slug"])


def _edit(client, page, data):
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page.refresh_from_db()
    return page


@pytest.fixture
def drafts(client, editor, catalog):
    """Course, module and lesson saved as drafts by the editor through the admin."""
    client.force_login(editor)
    course = _add(client, CoursePage, catalog, _course_data())
    module = _add(client, ModulePage, course, _module_data())
    lesson = _add(client, LessonPage, module, _lesson_data())
    return course, module, lesson


def test_editor_saves_course_module_and_lesson_as_drafts_that_visitors_cannot_see(drafts, visitor):
    course, module, lesson = drafts

    for page in drafts:
        assert not page.live
        assert page.revisions.count() == 1
        assert visitor.get(page.url).status_code == 404
    assert lesson.get_parent().pk == module.pk and module.get_parent().pk == course.pk
    draft = lesson.get_latest_revision_as_object()
    assert [block.block_type for block in draft.body] == ["paragraph", "code"]
    assert draft.duration_minutes == 12


def test_editor_previews_unsaved_lesson_changes(client, drafts):
    lesson = drafts[2]
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])

    response = client.post(preview_url, _lesson_data(text="Seen only in the preview."))
    assert response.json()["is_valid"] is True
    response = client.get(preview_url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Seen only in the preview." in html
    assert "Try it" in html and '<span class="k">SELECT</span>' in html
    assert lesson.revisions.count() == 1  # previewing saves nothing


def test_preview_reports_an_invalid_lesson_form(client, drafts):
    lesson = drafts[2]
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])

    response = client.post(preview_url, _lesson_data(duration_minutes="soon"))

    assert response.json()["is_valid"] is False


def test_editor_publishes_the_drafts_and_visitors_see_the_lesson(client, drafts, visitor):
    course, module, lesson = drafts
    publish = {"action-publish": "action-publish"}
    _edit(client, course, _course_data(**publish))
    _edit(client, module, _module_data(**publish))
    _edit(client, lesson, _lesson_data(text="Second attempt.", **publish))

    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.revisions.count() == 2
    response = visitor.get(lesson.url)
    assert response.status_code == 200
    assert "Second attempt." in response.content.decode()


def test_moderator_publishes_the_drafts_and_visitors_see_the_lesson_in_the_outline(
    client, drafts, moderator, visitor
):
    course, module, lesson = drafts
    client.force_login(moderator)

    publish = {"action-publish": "action-publish"}
    _edit(client, course, _course_data(**publish))
    _edit(client, module, _module_data(**publish))
    _edit(client, lesson, _lesson_data(**publish))

    for page in drafts:
        assert page.live
        assert page.revisions.count() == 2
        assert page.live_revision_id == page.latest_revision_id
    response = visitor.get(lesson.url)
    assert response.status_code == 200
    assert "Every table has rows." in response.content.decode()
    response = visitor.get(course.url)
    assert [item.pk for item in response.context["outline"].modules[0].lessons] == [lesson.pk]
    assert "Your first query" in response.content.decode()


def test_editor_submits_a_lesson_for_moderation_and_approval_publishes_it(client, editor, moderator, catalog):
    module = ModulePageFactory(parent=CoursePageFactory(parent=catalog))
    client.force_login(editor)
    lesson = _add(client, LessonPage, module, _lesson_data(**{"action-submit": "action-submit"}))
    assert not lesson.live
    task_state = lesson.current_workflow_task_state
    assert task_state is not None

    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk]),
        {"comment": ""},
    )

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.live
    assert Client().get(lesson.url).status_code == 200


def test_course_edit_view_shows_the_content_details_access_and_promote_tabs(client, editor, catalog):
    course = CoursePageFactory(parent=catalog)
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    tabs = [tab.get_text(" ", strip=True).split(" ")[0] for tab in soup.select('[role="tab"]')]
    assert tabs == ["Content", "Details", "Access", "Promote"]
    fields = {element.get("name") for element in soup.find_all(["input", "select", "textarea"])}
    assert {"summary", "category", "level", "language", "tags", "required_tier", "is_sequential"} <= fields
