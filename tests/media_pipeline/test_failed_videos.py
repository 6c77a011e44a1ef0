"""What a failed video shows editors: its status in the lesson's chooser, a way forward
that exists, the previous version still live after a failed replacement, no empty
folders left behind, and a notice when published lessons show it."""

import json

from django.core.files import File
from django.urls import reverse

import pytest

from media_pipeline import packaging
from media_pipeline.models import Video, VideoStatus
from media_pipeline.tasks import package_video_task
from notifications.models import Notification

from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory
from .packaging_support import video_from

pytestmark = pytest.mark.django_db

NS = "wagtailsnippets_media_pipeline_video"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _replaced_by_a_bad_file(clips) -> Video:
    video = packaging.package(video_from(clips["h264"], title="Lecture 1").pk)
    assert video.status == VideoStatus.READY
    with clips["text"].open("rb") as handle:
        video.source.save("new-cut.mp4", File(handle))
    return packaging.package(video.pk)


def test_a_failed_upload_leaves_no_empty_source_folder(clips, private_root):
    video = packaging.package(video_from(clips["text"]).pk)
    assert video.status == VideoStatus.FAILED
    assert not (private_root / "video-sources" / str(video.public_id)).exists()


def test_a_failed_video_whose_file_was_removed_says_to_upload_a_new_one(editor_client, clips, private_root):
    video = packaging.package(video_from(clips["text"], title="Notes").pk)
    assert not video.source  # an unusable upload is not kept
    html = editor_client.get(reverse(f"{NS}:edit", args=[video.pk])).content.decode()
    assert "Package again" not in html
    assert reverse(f"{NS}:repackage", args=[video.pk]) not in html
    assert "Upload a new source file below" in html


def test_a_failed_video_that_kept_its_file_offers_package_again_and_has_the_button(
    editor_client, clips, private_root
):
    video = video_from(clips["h264"], title="Crashed")
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.FAILED, error_message="Worker crashed.")
    html = editor_client.get(reverse(f"{NS}:edit", args=[video.pk])).content.decode()
    assert "use “Package again” in the header menu" in html
    assert reverse(f"{NS}:repackage", args=[video.pk]) in html


def test_a_failed_replacement_says_the_previous_version_is_still_live(editor_client, clips, private_root):
    video = _replaced_by_a_bad_file(clips)
    assert video.status == VideoStatus.FAILED and video.is_playable

    for url in (reverse(f"{NS}:list"), reverse(f"{NS}:edit", args=[video.pk])):
        html = editor_client.get(url).content.decode()
        assert "Live: previous version" in html
        assert "Replacement failed: This is not a video file" in html
        assert "video-status--live" in html and "video-status--failed" not in html
    status = editor_client.get(reverse(f"{NS}:status", args=[video.pk])).json()
    assert status["state"] == "live" and status["status_label"] == "Live: previous version"


def test_the_lesson_video_chooser_shows_each_videos_status(editor_client, clips, private_root):
    packaging.package(video_from(clips["h264"], title="Intro to SQL").pk)
    packaging.package(video_from(clips["text"], title="Notes as video").pk)
    response = editor_client.get(reverse("wagtailsnippetchoosers_media_pipeline_video:choose"))
    html = json.loads(response.content)["html"]
    assert "Intro to SQL" in html and "Notes as video" in html
    assert "video-status--ready" in html and "video-status--failed" in html
    assert ">Ready<" in html and ">Failed<" in html


def test_the_course_team_is_told_when_a_published_lessons_video_fails(clips, private_root, catalog, editor):
    """What the learners' message promises ("the course team has been told") happens."""
    video = video_from(clips["text"], title="Week 1")
    Video.objects.filter(pk=video.pk).update(created_by=editor)
    course = CoursePageFactory(parent=catalog)
    lesson = LessonPageFactory(
        parent=ModulePageFactory(parent=course), title="Joins", video=video, owner=editor
    )
    assert lesson.live

    assert package_video_task(video.pk) == VideoStatus.FAILED
    notice = Notification.objects.get(user=editor, kind="video_failed")
    assert "Week 1" in notice.title and "“Joins”" in notice.body
    assert notice.url == reverse(f"{NS}:edit", args=[video.pk])


def test_no_one_is_told_about_a_failed_video_no_lesson_shows(clips, private_root):
    video = video_from(clips["text"])
    assert package_video_task(video.pk) == VideoStatus.FAILED
    assert not Notification.objects.filter(kind="video_failed").exists()
