"""An editor chooses a lesson's video in the Wagtail admin: the chooser shows each
video's status, and a lesson cannot be published with a video whose packaging failed."""

import os
import tempfile

import pytest
from playwright.sync_api import expect

from learning.models import LessonPage
from media_pipeline.models import Video, VideoStatus

from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory
from .test_video_playback import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.path.join(tempfile.gettempdir(), "shots")


@pytest.fixture
def lesson(catalog):
    course = CoursePageFactory(parent=catalog, title="Practical SQL")
    module = ModulePageFactory(parent=course, title="Foundations")
    return LessonPageFactory(parent=module, title="Your first query", slug="your-first-query")


def test_editor_sees_video_status_in_the_chooser_and_cannot_publish_a_failed_one(
    live_server, page, editor, lesson
):
    Video.objects.create(title="Intro to SQL", status=VideoStatus.READY)
    Video.objects.create(title="Week two (encoding)", status=VideoStatus.PROCESSING, progress=40)
    Video.objects.create(
        title="Broken upload", status=VideoStatus.FAILED, error_message="This is not a video file (notes.txt)"
    )
    base = live_server.url
    _log_in(page, base, editor)
    page.goto(base + f"/admin/pages/{lesson.pk}/edit/")

    page.get_by_role("button", name="Choose video").click()
    modal = page.locator(".modal-dialog")
    rows = modal.locator("tbody tr")
    expect(rows).to_have_count(3)
    for title, status in (
        ("Intro to SQL", "Ready"),
        ("Week two (encoding)", "Processing"),
        ("Broken upload", "Failed"),
    ):
        row = rows.filter(has_text=title)
        expect(row.locator("[data-video-status-badge]")).to_have_text(status)
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/lesson-video-chooser.png", full_page=True)

    modal.get_by_role("link", name="Broken upload").click()
    expect(modal).to_be_hidden()
    page.locator(".w-dropdown-button").get_by_role("button", name="More actions").click()
    page.locator("button[name=action-publish]").click()

    error = page.get_by_text("“Broken upload” cannot be published in a lesson: its status is Failed")
    expect(error).to_be_visible()
    page.screenshot(path=f"{SHOTS}/lesson-publish-refused.png", full_page=True)
    assert LessonPage.objects.get(pk=lesson.pk).video_id is None  # nothing was published
