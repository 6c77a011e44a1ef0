"""Packaging a real (tiny) source into encrypted HLS in private storage."""

import base64
import subprocess
from pathlib import Path

from django.core.files.storage import storages

import pytest

from media_pipeline import keys, packaging
from media_pipeline import storage as store
from media_pipeline.ffmpeg import ffmpeg_binary, probe
from media_pipeline.models import Video, VideoStatus
from media_pipeline.signals import video_ready
from media_pipeline.verify import decrypt_segment, is_mpeg_ts, segments_of, verify

from .packaging_support import output_names, stored_names, video_from

pytestmark = pytest.mark.django_db


def _read(name: str) -> bytes:
    with storages["private"].open(name, "rb") as handle:
        return handle.read()


def _decodes(data: bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    path = tmp_path / "segment.ts"
    path.write_bytes(data)
    return subprocess.run(
        [ffmpeg_binary(), "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "null", "-"],
        capture_output=True,
        text=True,
    )


@pytest.fixture
def ready_video(clips, private_root):
    return packaging.package(video_from(clips["h264"], title="Welcome").pk)


def test_h264_lecture_becomes_a_ready_encrypted_hls_video(ready_video):
    video = ready_video
    assert video.status == VideoStatus.READY and video.progress == 100
    assert video.is_ready and video.is_playable
    assert video.duration_seconds == pytest.approx(4.0, abs=0.1)
    assert (video.source_width, video.source_height) == (320, 180)
    assert (video.source_video_codec, video.source_audio_codec) == ("h264", "aac")
    assert video.storage_prefix.startswith(f"video/{video.public_id}/")
    assert video.poster == video.storage_prefix + "poster.jpg"
    assert video.storyboard == video.storage_prefix + "storyboard.vtt"
    [rendition] = video.renditions  # a 180p source gets one rung at its own size, never upscaled
    assert rendition["height"] == 180 and rendition["width"] == 320
    assert rendition["playlist"] == "180p/index.m3u8"
    assert rendition["codecs"].endswith(",mp4a.40.2") and rendition["codecs"].startswith("avc1.")
    assert rendition["bandwidth"] > 0
    assert verify(video).ok, verify(video).problems
    assert video.output_size == sum(storages["private"].size(n) for n in output_names(video))


def test_media_playlist_is_vod_with_six_second_segments_and_an_explicit_random_iv(ready_video):
    text = _read(ready_video.storage_prefix + "180p/index.m3u8").decode()
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and "#EXT-X-ENDLIST" in text
    assert "#EXT-X-TARGETDURATION:" in text and int(text.split("#EXT-X-TARGETDURATION:")[1].split()[0]) <= 7
    key_line = next(line for line in text.splitlines() if line.startswith("#EXT-X-KEY"))
    assert key_line.startswith('#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x')
    iv = key_line.split("IV=0x")[1]
    assert len(iv) == 32 and int(iv, 16) != 0
    assert "seg_00000.ts" in text


def test_a_stored_segment_does_not_decode_without_the_key_and_does_with_it(ready_video, tmp_path):
    rendition, name, _duration, iv = next(segments_of(ready_video))
    stored = _read(name)
    assert not is_mpeg_ts(stored)
    assert _decodes(stored, tmp_path).returncode != 0
    clear = decrypt_segment(stored, ready_video.rendition_key(rendition), iv)
    assert is_mpeg_ts(clear)
    assert _decodes(clear, tmp_path).returncode == 0
    with pytest.raises(ValueError):
        decrypt_segment(stored, bytes(16), iv)


def test_no_segment_of_any_video_uses_an_all_zero_iv_and_builds_differ(clips, private_root):
    ivs = []
    for name in ("h264", "vp9", "uhd"):
        video = packaging.package(video_from(clips[name]).pk)
        ivs += [iv for _r, _n, _d, iv in segments_of(video)]
    assert ivs and all(int(iv, 16) != 0 for iv in ivs)
    assert len(set(ivs)) >= 3  # each build has its own random IV


def test_each_video_has_its_own_content_key_kept_only_wrapped(clips, private_root):
    first = packaging.package(video_from(clips["h264"]).pk)
    second = packaging.package(video_from(clips["h264"]).pk)
    [first_rendition], [second_rendition] = first.renditions, second.renditions
    key = first.rendition_key(first_rendition)
    assert key != second.rendition_key(second_rendition)
    assert first.wrapped_key is None  # no video-wide key: each rendition has its own
    assert key not in base64.b64decode(first_rendition["key"]["wrapped"])
    assert all(key not in _read(n) for n in output_names(first))


def test_stored_files_carry_their_content_types(ready_video):
    assert store.content_type_for("x/seg_00001.ts") == "video/mp2t"
    assert store.content_type_for("x/index.m3u8") == "application/vnd.apple.mpegurl"
    assert store.content_type_for("x/storyboard.vtt") == "text/vtt"


def test_storyboard_vtt_points_into_the_sprite(ready_video):
    vtt = _read(ready_video.storyboard).decode()
    assert vtt.startswith("WEBVTT")
    assert "00:00:00.000 --> 00:00:02.000\nstoryboard.jpg#xywh=0,0,160,90" in vtt
    sprite = _read(ready_video.storage_prefix + "storyboard.jpg")
    assert sprite[:2] == b"\xff\xd8"
    assert _read(ready_video.poster)[:2] == b"\xff\xd8"


def test_full_ladder_for_a_4k_source_stops_at_1080p(clips, private_root):
    video = packaging.package(video_from(clips["uhd"]).pk)
    assert video.status == VideoStatus.READY
    assert [(r["height"], r["width"]) for r in video.renditions] == [(360, 640), (720, 1280), (1080, 1920)]
    assert [r["codecs"] for r in video.renditions] == [
        "avc1.64001e,mp4a.40.2",
        "avc1.64001f,mp4a.40.2",
        "avc1.640028,mp4a.40.2",
    ]
    assert verify(video).ok
    _each_rendition_opens_only_with_its_own_key(video)


def _each_rendition_opens_only_with_its_own_key(video):
    """Own random key and IV per rendition: no rendition's key decrypts another's segments."""
    first_segments = {}
    for rendition, name, _duration, iv in segments_of(video):
        first_segments.setdefault(rendition["height"], (name, iv))
    heights = sorted(first_segments)
    raw = {h: video.rendition_key(_rendition_of(video, h)) for h in heights}
    assert len(set(raw.values())) == len(heights)
    assert len({iv for _name, iv in first_segments.values()}) == len(heights)
    for height, (name, iv) in first_segments.items():
        stored = _read(name)
        assert is_mpeg_ts(decrypt_segment(stored, raw[height], iv))
        for other in heights:
            if other != height:
                assert not _opens(stored, raw[other], iv), (other, height)


def _rendition_of(video, height):
    return next(r for r in video.renditions if r["height"] == height)


def _opens(data: bytes, key: bytes, iv: str) -> bool:
    try:
        return is_mpeg_ts(decrypt_segment(data, key, iv))
    except ValueError:  # the padding does not even check out
        return False


def test_portrait_phone_video_stays_portrait(clips, private_root, tmp_path):
    video = packaging.package(video_from(clips["portrait"]).pk)
    assert video.status == VideoStatus.READY
    assert (video.source_width, video.source_height) == (180, 320)
    [rendition] = video.renditions
    assert rendition["resolution"] == "180x320"
    _r, name, _d, iv = next(segments_of(video))
    segment = tmp_path / "portrait.ts"
    segment.write_bytes(decrypt_segment(_read(name), video.rendition_key(_r), iv))
    info = probe(segment)
    assert (info.width, info.height) == (180, 320) and info.rotation == 0


def test_a_portrait_source_is_capped_by_its_shorter_side():
    info = probe_like(width=1080, height=1920)
    assert [(r.label, r.width, r.height) for r in packaging.plan_ladder(info)] == [
        (360, 360, 640),
        (720, 720, 1280),
        (1080, 1080, 1920),
    ]
    assert [r.label for r in packaging.plan_ladder(probe_like(width=1280, height=720))] == [360, 720]


def probe_like(width: int, height: int):
    from media_pipeline.ffmpeg import MediaInfo

    return MediaInfo(60.0, width, height, width, height, 0, "h264", "High", "yuv420p", 30.0, "aac", 2)


def test_silent_video_gets_a_silent_aac_track_and_plays(clips, private_root, tmp_path):
    video = packaging.package(video_from(clips["silent"]).pk)
    assert video.status == VideoStatus.READY and video.source_audio_codec == ""
    _r, name, _d, iv = next(segments_of(video))
    segment = tmp_path / "silent.ts"
    segment.write_bytes(decrypt_segment(_read(name), video.rendition_key(_r), iv))
    assert probe(segment).audio_codec == "aac"


def test_first_playable_is_published_before_the_ladder_with_its_own_key(clips, private_root, monkeypatch):
    seen = {}
    real_ladder = packaging._package_ladder

    def ladder_after_looking(video, *args, **kwargs):
        stored = Video.objects.get(pk=video.pk)
        seen["status"], seen["playable"] = stored.status, stored.is_playable
        seen["renditions"], seen["prefix"] = stored.renditions, stored.storage_prefix
        seen["files"] = output_names(stored)
        return real_ladder(video, *args, **kwargs)

    monkeypatch.setattr(packaging, "_package_ladder", ladder_after_looking)
    video = packaging.package(video_from(clips["h264"]).pk)
    assert seen["status"] == VideoStatus.PROCESSING and seen["playable"]
    assert [r["playlist"] for r in seen["renditions"]] == ["180p/index.m3u8"]
    assert seen["renditions"][0]["codecs"] == "avc1.42c00c,mp4a.40.2"  # the source SPS: ultrafast baseline
    assert any(name.endswith("seg_00000.ts") for name in seen["files"])
    assert video.status == VideoStatus.READY and video.storage_prefix != seen["prefix"]
    first_key = video.rendition_key(seen["renditions"][0])
    assert first_key != video.rendition_key(video.renditions[0])
    # The first playable build is gone once the ladder is in place.
    assert all(name.startswith(video.storage_prefix) for name in output_names(video))


def test_progress_is_saved_while_encoding_and_ends_at_100(clips, private_root):
    reports = []
    video = packaging.package(video_from(clips["vp9"]).pk, report=lambda p, s: reports.append((p, s)))
    percents = [p for p, _ in reports]
    assert percents == sorted(percents) and percents[-1] >= 95
    assert {s for _, s in reports} >= {
        "Checking the file",
        "Making a first playable version",
        "Storing the segments",
    }
    assert video.progress == 100 and video.stage == "Ready"


def test_video_ready_is_sent_once_when_ready(clips, private_root):
    received = []

    def receiver(sender, video, **kwargs):
        received.append((video.pk, video.status))

    video_ready.connect(receiver)
    try:
        video = packaging.package(video_from(clips["h264"]).pk)
    finally:
        video_ready.disconnect(receiver)
    assert received == [(video.pk, VideoStatus.READY)]


def test_one_process_and_per_rung_ladders_give_the_same_renditions(clips, private_root):
    one = packaging.package(video_from(clips["uhd"]).pk, ladder_mode="one-process")
    per = packaging.package(video_from(clips["uhd"]).pk, ladder_mode="per-rung")
    strip = [{k: r[k] for k in ("height", "width", "codecs", "playlist", "segments")} for r in one.renditions]
    assert strip == [
        {k: r[k] for k in ("height", "width", "codecs", "playlist", "segments")} for r in per.renditions
    ]
    assert verify(per).ok and storages["private"].exists(per.storage_prefix + "storyboard.jpg")
    # One ffmpeg encrypts every rung under one key; each is then moved to its own.
    assert verify(one).ok
    _each_rendition_opens_only_with_its_own_key(one)


def test_packaging_again_replaces_the_build_and_leaves_nothing_behind(ready_video):
    first_prefix = ready_video.storage_prefix
    again = packaging.package(ready_video.pk)
    assert again.status == VideoStatus.READY and again.storage_prefix != first_prefix
    # A new build gets new keys.
    assert again.rendition_key(again.renditions[0]) != ready_video.rendition_key(ready_video.renditions[0])
    assert all(n.startswith(again.storage_prefix) for n in output_names(again))
    assert verify(again).ok


def test_a_rerun_after_a_killed_run_removes_its_half_written_build(ready_video):
    leftover = store.build_prefix(ready_video.public_id, "deadbeef0000")
    storages["private"].save(leftover + "720p/seg_00000.ts", _content(b"half"))
    again = packaging.package(ready_video.pk)
    assert again.status == VideoStatus.READY
    assert not any(n.startswith(leftover) for n in stored_names(again))


def test_a_storage_failure_while_uploading_removes_partial_output_and_keeps_the_old_one(
    ready_video, monkeypatch
):
    old_prefix, old_renditions = ready_video.storage_prefix, ready_video.renditions
    real_upload = store.upload_tree

    def upload_then_fail(local_dir, prefix, storage=None):
        real_upload(local_dir, prefix, storage)
        raise OSError("No space left on device")

    monkeypatch.setattr(store, "upload_tree", upload_then_fail)
    with pytest.raises(OSError):
        packaging.package(ready_video.pk)
    video = Video.objects.get(pk=ready_video.pk)
    assert video.status == VideoStatus.FAILED
    assert "Packaging failed" in video.error_message
    assert (video.storage_prefix, video.renditions) == (old_prefix, old_renditions)
    assert all(n.startswith(old_prefix) for n in output_names(video))
    assert video.source  # kept, so "Package again" can retry


def test_a_failed_first_package_leaves_no_output_at_all(clips, private_root, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("storage unreachable")

    real_upload = store.upload_tree
    calls = []

    def second_upload_fails(local_dir, prefix, storage=None):
        calls.append(prefix)
        if len(calls) == 2:
            refuse()
        return real_upload(local_dir, prefix, storage)

    monkeypatch.setattr(store, "upload_tree", second_upload_fails)
    video = video_from(clips["h264"])
    with pytest.raises(OSError):
        packaging.package(video.pk)
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED and not video.is_playable
    assert output_names(video) == []


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)


def test_a_superseded_run_stops_without_publishing_or_leaving_files(clips, private_root, monkeypatch):
    real_ladder = packaging._package_ladder
    newer = {}

    def newer_run_takes_over(video, *args, **kwargs):
        run = packaging._Run(video.pk)
        run.claim(stage="Newer run")
        newer["run"] = run.run_id
        return real_ladder(video, *args, **kwargs)

    monkeypatch.setattr(packaging, "_package_ladder", newer_run_takes_over)
    video = packaging.package(video_from(clips["h264"]).pk)
    assert video.packaging_run == newer["run"]
    assert video.status == VideoStatus.PROCESSING and video.stage == "Newer run"
    # What the older run published first (its first playable) stays, as the video points at it;
    # its ladder build is gone.
    assert video.is_playable
    assert all(name.startswith(video.storage_prefix) for name in output_names(video))


def test_a_job_that_died_without_a_word_fails_the_video(clips, private_root):
    from types import SimpleNamespace

    from media_pipeline.tasks import packaging_finished

    video = video_from(clips["h264"])
    Video.objects.filter(pk=video.pk).update(status=VideoStatus.PROCESSING, progress=40)
    packaging_finished(SimpleNamespace(success=False, args=[video.pk]))
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED and "Package again" in video.error_message
    ready = packaging.package(video_from(clips["h264"]).pk)
    packaging_finished(SimpleNamespace(success=False, args=[ready.pk]))
    assert Video.objects.get(pk=ready.pk).status == VideoStatus.READY  # a finished video is left alone


def test_a_video_with_no_progress_for_15_minutes_is_stalled(db):
    from datetime import timedelta

    from django.utils import timezone

    video = Video.objects.create(title="Lost job", status=VideoStatus.PROCESSING)
    assert not video.is_stalled
    Video.objects.filter(pk=video.pk).update(updated_at=timezone.now() - timedelta(minutes=16))
    assert Video.objects.get(pk=video.pk).is_stalled


def test_packaging_a_single_key_video_again_gives_each_rendition_its_own_key(ready_video):
    """The re-package path for videos packaged when every rendition shared one key."""
    ready_video.set_content_key(keys.new_content_key())
    ready_video.save()
    again = packaging.package(ready_video.pk)
    assert again.status == VideoStatus.READY
    assert again.wrapped_key is None and again.master_key_id == ""
    assert all(r.get("key") for r in again.renditions) and again.is_playable
    assert verify(again).ok
