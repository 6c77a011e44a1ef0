"""Tiny source clips made with ffmpeg's test sources, for the packaging tests.

Each clip is 2–4 s and small (320x180 unless the case needs otherwise), generated once
per test session, so packaging a real video takes about a second.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.core.files import File

from media_pipeline import storage as store
from media_pipeline.ffmpeg import ffmpeg_binary
from media_pipeline.models import Video

_LAVFI_VIDEO = "testsrc=size={size}:rate={rate}:duration={seconds}"
_LAVFI_AUDIO = "sine=frequency=440:sample_rate=48000:duration={seconds}"


def _ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def make_clip(
    path: Path,
    *,
    seconds: float = 3,
    size: str = "320x180",
    rate: int = 25,
    audio: bool = True,
    vcodec: tuple[str, ...] = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
    acodec: tuple[str, ...] = ("-c:a", "aac", "-b:a", "64k"),
    extra: tuple[str, ...] = (),
) -> Path:
    inputs = ["-f", "lavfi", "-i", _LAVFI_VIDEO.format(size=size, rate=rate, seconds=seconds)]
    if audio:
        inputs += ["-f", "lavfi", "-i", _LAVFI_AUDIO.format(seconds=seconds)]
    _ffmpeg(*inputs, *vcodec, *(acodec if audio else ()), *extra, "-shortest", str(path))
    return path


def build_clips(folder: Path) -> dict[str, Path]:
    """Every source case the issue names, keyed by a short name."""
    clips: dict[str, Path] = {}
    clips["h264"] = make_clip(folder / "lecture.mp4", seconds=4)
    clips["silent"] = make_clip(folder / "silent.mp4", seconds=3, audio=False)
    clips["vp9"] = make_clip(
        folder / "talk.webm",
        seconds=3,
        vcodec=("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-pix_fmt", "yuv420p"),
        acodec=("-c:a", "libopus", "-b:a", "48k"),
    )
    clips["uhd"] = make_clip(folder / "uhd.mp4", seconds=1, size="3840x2160", audio=True)
    portrait = folder / "phone.mp4"
    _ffmpeg("-i", str(clips["h264"]), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(portrait))
    clips["portrait"] = portrait
    clips["vfr"] = make_clip(
        folder / "vfr.mp4",
        seconds=3,
        rate=30,
        extra=(
            "-vf",
            "setpts='if(lt(N,30),N/30,if(lt(N,60),(N-30)/10+1,(N-60)/60+4))/TB'",
            "-fps_mode",
            "vfr",
        ),
    )
    text = folder / "notes.mp4"
    text.write_text("These are my lecture notes, not a video.\n")
    clips["text"] = text
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    clips["empty"] = empty
    audio = folder / "podcast.m4a"
    _ffmpeg("-f", "lavfi", "-i", _LAVFI_AUDIO.format(seconds=2), "-c:a", "aac", str(audio))
    clips["audio"] = audio
    # Index first (faststart), then cut: opens fine, ends early.
    faststart = folder / "faststart.mp4"
    _ffmpeg("-i", str(clips["h264"]), "-c", "copy", "-movflags", "+faststart", str(faststart))
    data = faststart.read_bytes()
    truncated = folder / "truncated.mp4"
    truncated.write_bytes(data[: len(data) // 2])
    clips["truncated"] = truncated
    return clips


def video_from(path: Path, title: str = "Lecture", **fields) -> Video:
    """A Video whose source is a copy of `path` in private storage."""
    video = Video(title=title, **fields)
    with path.open("rb") as handle:
        video.source.save(path.name, File(handle), save=False)
    video.source_size = path.stat().st_size
    video.save()
    return video


def stored_names(video: Video) -> list[str]:
    """Everything in private storage belonging to this video (sources and output)."""
    return store.list_files(store.video_root(video.public_id)) + store.list_files(
        store.source_folder(video.public_id)
    )


def output_names(video: Video) -> list[str]:
    return store.list_files(store.video_root(video.public_id))


def copy_clip(path: Path, to: Path) -> Path:
    shutil.copy(path, to)
    return to
