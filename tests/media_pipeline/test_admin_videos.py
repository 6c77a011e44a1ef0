"""The Video admin as an editor uses it: upload, live status, captions, replace, delete."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from media_pipeline import packaging
from media_pipeline.captions import webvtt_problem
from media_pipeline.models import Video, VideoCaption, VideoStatus
from media_pipeline.verify import verify

from .packaging_support import output_names, stored_names, video_from

pytestmark = pytest.mark.django_db

NS = "wagtailsnippets_media_pipeline_video"
VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWelcome to the course.\n\n00:00:02.000 --> 00:00:04.000\nLet's begin.\n"


def _upload(path, name=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="video/mp4")


def _form(title: str, source=None, captions: list[dict] | None = None, existing: int = 0) -> dict:
    captions = captions or []
    data = {
        "title": title,
        "captions-TOTAL_FORMS": str(len(captions)),
        "captions-INITIAL_FORMS": str(existing),
        "captions-MIN_NUM_FORMS": "0",
        "captions-MAX_NUM_FORMS": "1000",
    }
    if source is not None:
        data["source"] = source
    for index, caption in enumerate(captions):
        for key, value in caption.items():
            data[f"captions-{index}-{key}"] = value
        data.setdefault(f"captions-{index}-ORDER", str(index + 1))
    return data


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editor_uploads_a_video_and_it_is_packaged(
    editor_client, editor, clips, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse(f"{NS}:add"), _form("Welcome", _upload(clips["h264"])))
    assert response.status_code == 302, response.content.decode()[:2000]
    video = Video.objects.get(title="Welcome")
    assert video.status == VideoStatus.READY and video.created_by == editor
    assert video.source_size == clips["h264"].stat().st_size
    assert verify(video).ok


def test_a_new_video_needs_a_file(editor_client, private_root):
    response = editor_client.post(reverse(f"{NS}:add"), _form("No file"))
    assert response.status_code == 200
    assert "Choose a video file to upload." in response.content.decode()
    assert not Video.objects.exists()


def test_upload_with_a_caption_track(editor_client, clips, private_root, django_capture_on_commit_callbacks):
    caption = {
        "language": "en",
        "label": "English",
        "file": SimpleUploadedFile("en.vtt", VTT),
        "is_default": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse(f"{NS}:add"), _form("Captioned", _upload(clips["h264"]), [caption])
        )
    assert response.status_code == 302
    [track] = Video.objects.get(title="Captioned").captions.all()
    assert (track.language, track.label, track.is_default) == ("en", "English", True)
    assert track.file.name.startswith("video-captions/")
    assert track.file.read() == VTT


def test_an_srt_file_is_refused_as_a_caption_with_a_reason(editor_client, clips, private_root):
    srt = b"1\n00:00:00,000 --> 00:00:02,000\nHello\n"
    caption = {"language": "en", "label": "English", "file": SimpleUploadedFile("en.srt", srt)}
    response = editor_client.post(
        reverse(f"{NS}:add"), _form("Bad captions", _upload(clips["h264"]), [caption])
    )
    assert response.status_code == 200
    assert "This is not a WebVTT file" in response.content.decode()
    assert not Video.objects.exists()


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "empty"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"1\n00:00:00,000 --> 00:00:01,000\nhi\n", "first line"),
        (b"WEBVTT\n\n00:00:00.000 -> 00:00:01.000\nhi\n", "no cues"),
        (b"WEBVTT\n\n00:00:00,000 --> 00:00:01,000\nhi\n", "Line 3"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nhi\n", "ends before it starts"),
    ],
)
def test_webvtt_problems_are_named(data, problem):
    assert problem in webvtt_problem(data)


def test_webvtt_with_bom_hours_and_settings_is_fine():
    assert (
        webvtt_problem(b"\xef\xbb\xbfWEBVTT - course\n\n01:00:00.000 --> 01:00:01.500 line:90%\nhi\n") is None
    )


def test_the_status_json_tracks_packaging_and_is_private(editor_client, clips, private_root):
    video = video_from(clips["h264"])
    url = reverse(f"{NS}:status", args=[video.pk])
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.PROCESSING, progress=42, stage="Encoding 180p"
    )
    response = editor_client.get(url)
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    body = json.loads(response.content)
    assert (body["status"], body["progress"], body["stage"], body["active"]) == (
        "processing",
        42,
        "Encoding 180p",
        True,
    )
    packaging.package(video.pk)
    body = json.loads(editor_client.get(url).content)
    assert (body["status"], body["progress"], body["active"], body["renditions"]) == (
        "ready",
        100,
        False,
        ["180p"],
    )


def test_the_status_json_is_refused_to_learners_and_visitors(client, learner, clips, private_root):
    video = video_from(clips["h264"])
    url = reverse(f"{NS}:status", args=[video.pk])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(learner)
    assert client.get(url).status_code in {302, 403}


def test_list_shows_status_badges_and_live_progress_hooks(editor_client, clips, private_root):
    video = video_from(clips["h264"], title="Still encoding")
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.PROCESSING, progress=30, stage="Encoding")
    failed = packaging.package(video_from(clips["text"], title="Notes as video").pk)
    html = editor_client.get(reverse(f"{NS}:list")).content.decode()
    assert "video-status--processing" in html and 'data-active="true"' in html
    assert 'aria-valuenow="30"' in html
    assert "video-status--failed" in html and failed.error_message in html
    assert "js/video-admin.js" in html and "css/video-admin.css" in html


def test_failed_video_shows_its_reason_on_the_edit_page(editor_client, clips, private_root):
    video = packaging.package(video_from(clips["audio"], title="Podcast").pk)
    html = editor_client.get(reverse(f"{NS}:edit", args=[video.pk])).content.decode()
    assert "The file has sound but no picture (no video stream)." in html
    assert 'role="alert"' in html


def test_replacing_the_source_swaps_output_only_when_the_new_one_is_ready(
    editor_client, clips, private_root, django_capture_on_commit_callbacks, monkeypatch
):
    video = packaging.package(video_from(clips["h264"], title="Lecture 1").pk)
    old_prefix, old_source = video.storage_prefix, video.source.name
    seen = {}
    real_ladder = packaging._package_ladder

    def look_first(video_arg, *args, **kwargs):
        seen["prefix"] = Video.objects.get(pk=video_arg.pk).storage_prefix
        seen["old_files"] = [n for n in output_names(video_arg) if n.startswith(old_prefix)]
        return real_ladder(video_arg, *args, **kwargs)

    monkeypatch.setattr(packaging, "_package_ladder", look_first)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse(f"{NS}:edit", args=[video.pk]), _form("Lecture 1", _upload(clips["vp9"], "recut.webm"))
        )
    assert response.status_code == 302
    assert seen["prefix"] == old_prefix and seen["old_files"]  # still serving the old one meanwhile
    video.refresh_from_db()
    assert video.status == VideoStatus.READY and video.source_video_codec == "vp9"
    assert video.storage_prefix != old_prefix
    names = stored_names(video)
    assert not any(n.startswith(old_prefix) for n in names)
    assert old_source not in names and video.source.name in names


def test_editing_the_title_does_not_repackage(
    editor_client, clips, private_root, django_capture_on_commit_callbacks
):
    video = packaging.package(video_from(clips["h264"], title="Old title").pk)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse(f"{NS}:edit", args=[video.pk]), _form("New title"))
    after = Video.objects.get(pk=video.pk)
    assert after.title == "New title" and after.storage_prefix == video.storage_prefix
    assert after.source.name == video.source.name
    html = editor_client.get(reverse(f"{NS}:edit", args=[video.pk])).content.decode()
    assert "Source file: lecture.mp4" in html
    assert "/private-files-are-never-served/" not in html  # no dead link to a storage name


def test_package_again_asks_then_queues(
    editor_client, clips, private_root, django_capture_on_commit_callbacks
):
    video = packaging.package(video_from(clips["h264"]).pk)
    url = reverse(f"{NS}:repackage", args=[video.pk])
    assert "Learners keep watching" in editor_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url)
    assert response.status_code == 302
    after = Video.objects.get(pk=video.pk)
    assert after.status == VideoStatus.READY and after.storage_prefix != video.storage_prefix
    assert (
        reverse(f"{NS}:repackage", args=[video.pk])
        in editor_client.get(reverse(f"{NS}:edit", args=[video.pk])).content.decode()
    )


def test_learners_cannot_package_again(client, learner, clips, private_root):
    video = video_from(clips["h264"])
    client.force_login(learner)
    response = client.post(reverse(f"{NS}:repackage", args=[video.pk]))
    assert response.status_code in {302, 403}
    assert Video.objects.get(pk=video.pk).status == VideoStatus.UPLOADED


def test_upload_from_the_lessons_video_chooser(
    editor_client, editor, clips, private_root, django_capture_on_commit_callbacks
):
    url = reverse("wagtailsnippetchoosers_media_pipeline_video:create")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"title": "From the chooser", "source": _upload(clips["h264"])})
    assert response.status_code == 200
    assert json.loads(response.content)["step"] == "chosen"
    video = Video.objects.get(title="From the chooser")
    assert video.created_by == editor and video.status == VideoStatus.READY


def test_deleting_a_video_deletes_every_stored_file(
    editor_client, clips, private_root, django_capture_on_commit_callbacks
):
    video = packaging.package(video_from(clips["h264"]).pk)
    VideoCaption.objects.create(
        video=video, language="en", label="English", file=SimpleUploadedFile("en.vtt", VTT)
    )
    assert len(stored_names(video)) > 3
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse(f"{NS}:delete", args=[video.pk]))
    assert response.status_code == 302
    assert not Video.objects.filter(pk=video.pk).exists()
    assert not [p for p in private_root.rglob("*") if p.is_file()]


def test_the_lesson_video_chooser_lists_videos_and_offers_an_upload_tab(editor_client, clips, private_root):
    packaging.package(video_from(clips["h264"], title="Intro to SQL").pk)
    response = editor_client.get(reverse("wagtailsnippetchoosers_media_pipeline_video:choose"))
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert "Intro to SQL" in html
    assert 'name="source"' in html and "multipart/form-data" in html
