"""The ffmpeg wrapper: which binary, and what a probe reads without ffprobe."""

import shutil

import imageio_ffmpeg
import pytest

from media_pipeline import ffmpeg, packaging
from media_pipeline.ffmpeg import MediaError, parse_report, probe
from media_pipeline.models import VideoStatus
from media_pipeline.verify import segments_of, verify

from .packaging_support import video_from


def test_ffmpeg_binary_override_wins(monkeypatch):
    monkeypatch.setenv("FFMPEG_BINARY", "/opt/ffmpeg/bin/ffmpeg")
    assert ffmpeg.ffmpeg_binary() == "/opt/ffmpeg/bin/ffmpeg"


def test_system_ffmpeg_is_used_when_present(monkeypatch, settings):
    monkeypatch.delenv("FFMPEG_BINARY", raising=False)
    settings.FFMPEG_BINARY = ""
    assert ffmpeg.ffmpeg_binary() == shutil.which("ffmpeg")


def test_the_wheel_binary_is_used_without_a_system_ffmpeg(monkeypatch, settings):
    monkeypatch.delenv("FFMPEG_BINARY", raising=False)
    settings.FFMPEG_BINARY = ""
    ffmpeg._resolve_binary.cache_clear()
    monkeypatch.setattr(ffmpeg.shutil, "which", lambda name: None)
    try:
        assert ffmpeg.ffmpeg_binary() == imageio_ffmpeg.get_ffmpeg_exe()
    finally:
        ffmpeg._resolve_binary.cache_clear()


def test_probe_reads_an_h264_lecture(clips):
    info = probe(clips["h264"])
    assert info.duration == pytest.approx(4.0, abs=0.05)
    assert (info.width, info.height, info.rotation) == (320, 180, 0)
    assert (info.video_codec, info.audio_codec, info.fps) == ("h264", "aac", 25.0)
    assert info.has_audio and info.can_stream_copy


def test_probe_reads_a_phone_videos_rotation(clips):
    info = probe(clips["portrait"])
    assert info.rotation == 90
    assert (info.coded_width, info.coded_height) == (320, 180)
    assert (info.width, info.height) == (180, 320) and info.is_portrait
    assert not info.can_stream_copy  # a TS stream copy would lose the rotation


def test_probe_reads_webm_and_silent_and_vfr(clips):
    webm = probe(clips["vp9"])
    assert (webm.video_codec, webm.audio_codec) == ("vp9", "opus") and not webm.can_stream_copy
    assert not probe(clips["silent"]).has_audio
    assert probe(clips["vfr"]).duration > 3


@pytest.mark.parametrize(
    "clip, reason",
    [
        ("text", "not a video file"),
        ("empty", "empty file"),
        ("audio", "no video stream"),
        ("truncated", "file is truncated"),
    ],
)
def test_probe_gives_a_reason_for_each_unusable_file(clips, clip, reason):
    with pytest.raises(MediaError) as caught:
        probe(clips[clip])
    assert caught.value.reason == reason
    assert caught.value.message


def test_ffmpeg_9_display_matrix_wording_is_read():
    report = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mov':
  Duration: 00:00:12.50, start: 0.000000, bitrate: 9000 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 1920x1080, 8000 kb/s, 29.97 fps, 30 tbr, 600 tbn (default)
    Side data:
      Display Matrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 128 kb/s (default)
"""
    info = parse_report(report)
    assert (info.width, info.height, info.rotation) == (1080, 1920, 270)
    assert info.duration == 12.5 and info.fps == 29.97 and info.audio_channels == 2


def test_a_video_stream_ffmpeg_cannot_name_is_an_unsupported_codec():
    report = """Input #0, avi, from 'x.avi':
  Duration: 00:00:05.00, start: 0.000000, bitrate: 100 kb/s
  Stream #0:0: Video: none (XVIX / 0x58495658), none, 640x480, 25 fps, 25 tbr, 25 tbn
"""
    with pytest.raises(MediaError) as caught:
        parse_report(report)
    assert caught.value.reason == "unsupported codec"


@pytest.mark.django_db
def test_packaging_with_the_wheels_ffmpeg_9_writes_a_random_iv_too(clips, private_root, monkeypatch):
    monkeypatch.setenv("FFMPEG_BINARY", imageio_ffmpeg.get_ffmpeg_exe())
    video = packaging.package(video_from(clips["h264"]).pk)
    assert video.status == VideoStatus.READY, video.error_message
    assert all(int(iv, 16) != 0 for _r, _n, _d, iv in segments_of(video))
    assert verify(video).ok
