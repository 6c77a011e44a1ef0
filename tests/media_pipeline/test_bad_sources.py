"""Every awkward source from the issue is packaged, or fails with a clear reason and leaves
nothing in storage."""

import pytest

from media_pipeline import packaging
from media_pipeline.models import VideoStatus
from media_pipeline.verify import verify

from .packaging_support import stored_names, video_from

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "clip, message",
    [
        ("text", "This is not a video file"),
        ("truncated", "The file is truncated"),
        ("empty", "The file is empty (0 bytes)"),
        ("audio", "no video stream"),
    ],
)
def test_unusable_source_fails_with_its_reason_and_leaves_no_files(clips, private_root, clip, message):
    video = packaging.package(video_from(clips[clip]).pk)
    assert video.status == VideoStatus.FAILED
    assert message in video.error_message
    assert clips[clip].name in video.error_message  # says which upload it was
    assert not video.is_playable and video.renditions == []
    assert stored_names(video) == []
    assert not any(private_root.rglob("*.*"))


@pytest.mark.parametrize(
    "clip, heights, codecs",
    [
        ("uhd", [360, 720, 1080], ("h264", "aac")),
        ("portrait", [180], ("h264", "aac")),
        ("vp9", [180], ("vp9", "opus")),
        ("vfr", [180], ("h264", "aac")),
    ],
)
def test_awkward_but_valid_source_is_packaged(clips, private_root, clip, heights, codecs):
    video = packaging.package(video_from(clips[clip]).pk)
    assert video.status == VideoStatus.READY, video.error_message
    assert [r["height"] for r in video.renditions] == heights
    assert (video.source_video_codec, video.source_audio_codec) == codecs
    report = verify(video)  # decrypts every segment; durations add up to the source's
    assert report.ok, report.problems
    assert report.segments_checked >= len(heights)


def test_a_failed_replacement_source_brings_back_the_previous_one(clips, private_root):
    from django.core.files import File

    video = packaging.package(video_from(clips["h264"]).pk)
    old_source, old_prefix = video.source.name, video.storage_prefix
    with clips["text"].open("rb") as handle:
        video.source.save("new-cut.mp4", File(handle))
    failed = packaging.package(video.pk)
    assert failed.status == VideoStatus.FAILED and "not a video file" in failed.error_message
    assert failed.source.name == old_source
    assert failed.storage_prefix == old_prefix and failed.is_playable  # learners keep watching
    assert verify(failed).ok
