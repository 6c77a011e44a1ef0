"""The one place that runs ffmpeg.

Everything else in the pipeline asks this module: which binary, what a source file
holds (`probe`), and `run` for an encode with live progress. We never need ffprobe:
the imageio-ffmpeg wheel (what `make run` falls back to) ships only ffmpeg, so the
probe reads `ffmpeg -i`'s stream report and decodes the first second to prove the
codec really decodes.

Errors a user can act on are `MediaError` with a short `reason` ("no video stream",
"file is truncated", …) and a sentence for the editor.
"""

# ffmpeg gets an argument list (never a shell); the source path is one argument of it.
# ruff: noqa: S603

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

import ffmpeg as ffmpeg_python

# Codecs browsers play inside MPEG-TS HLS without re-encoding.
STREAM_COPY_VIDEO_PROFILES = {"baseline", "constrained baseline", "main", "high"}
MAX_DURATION_SECONDS = 8 * 3600


class MediaError(Exception):
    """A source that cannot be packaged, with a reason an editor can act on."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


class FFmpegFailed(Exception):
    """ffmpeg exited non-zero for a reason we did not foresee; carries its last log lines."""

    def __init__(self, returncode: int, log_tail: str):
        super().__init__(f"ffmpeg exited with {returncode}: {log_tail[-800:]}")
        self.returncode = returncode
        self.log_tail = log_tail


@lru_cache(maxsize=4)
def _resolve_binary(configured: str) -> str:
    if configured:
        return configured
    system = shutil.which("ffmpeg")
    if system:
        return system
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg_binary() -> str:
    """FFMPEG_BINARY if set, else the system ffmpeg, else the imageio-ffmpeg wheel's."""
    return _resolve_binary(os.environ.get("FFMPEG_BINARY") or getattr(settings, "FFMPEG_BINARY", ""))


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to SIGKILL ffmpeg when the worker that started it dies (kill -9 included),
    so a killed worker never leaves an encode running on its own."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class MediaInfo:
    """What a source holds. width/height are as displayed (rotation applied)."""

    duration: float
    width: int
    height: int
    coded_width: int
    coded_height: int
    rotation: int
    video_codec: str
    video_profile: str
    pix_fmt: str
    fps: float
    audio_codec: str = ""
    audio_channels: int = 0
    container: str = ""
    bitrate: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)

    @property
    def is_portrait(self) -> bool:
        return self.height > self.width

    @property
    def shorter_side(self) -> int:
        return min(self.width, self.height)

    @property
    def can_stream_copy(self) -> bool:
        """H.264 8-bit 4:2:0, upright: players take its bitstream as it is."""
        return (
            self.video_codec == "h264"
            and self.video_profile.lower() in STREAM_COPY_VIDEO_PROFILES
            and self.pix_fmt in {"yuv420p", "yuvj420p"}
            and self.rotation == 0
        )


_DURATION = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_BITRATE = re.compile(r"bitrate:\s*(\d+)\s*kb/s")
_INPUT = re.compile(r"^Input #0, ([^,]+(?:,[^,]+)*?), from", re.M)
_STREAM = re.compile(
    r"^\s*Stream #0:(\d+)(?:\[[^\]]*\])?(?:\([^)]*\))?: (Video|Audio|Subtitle|Data|Attachment): (.*)$"
)
_SIZE = re.compile(r"(?:^|[ ,])(\d{2,5})x(\d{2,5})(?:[ ,\[]|$)")
_FPS = re.compile(r"([\d.]+)(k?) fps")
_TBR = re.compile(r"([\d.]+)(k?) tbr")
_ROTATION = re.compile(r"(?:displaymatrix|Display Matrix): rotation of (-?[\d.]+) degrees", re.I)
_ROTATE_TAG = re.compile(r"^\s*rotate\s*:\s*(-?\d+)", re.M)
_CHANNELS = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "5.0": 5, "5.1": 6, "7.1": 8}


def _codec_and_profile(description: str) -> tuple[str, str]:
    head = description.split(",")[0].strip()
    codec = head.split(" ")[0]
    profile = ""
    match = re.match(r"\S+ \(([^)]*)\)", head)
    if match and "/" not in match.group(1):
        profile = match.group(1)
    return codec, profile


def _stream_blocks(report: str) -> list[tuple[str, str, str]]:
    """[(kind, description, the lines up to the next stream)] for input #0."""
    lines = report.splitlines()
    blocks: list[tuple[str, str, str]] = []
    for index, line in enumerate(lines):
        match = _STREAM.match(line)
        if not match:
            continue
        tail = []
        for following in lines[index + 1 :]:
            if _STREAM.match(following) or following.startswith(("Output", "At least", "Input #1")):
                break
            tail.append(following)
        blocks.append((match.group(2), match.group(3), "\n".join(tail)))
    return blocks


def parse_report(report: str) -> MediaInfo:
    """Turn `ffmpeg -i` stderr into MediaInfo; raises MediaError for unusable input."""
    blocks = _stream_blocks(report)
    video = next(
        ((d, extra) for kind, d, extra in blocks if kind == "Video" and "attached pic" not in d), None
    )
    audio = next((d for kind, d, _ in blocks if kind == "Audio"), None)
    if video is None:
        if audio is not None:
            raise MediaError("no video stream", "The file has sound but no picture (no video stream).")
        raise MediaError("not a video file", "This is not a video file: no audio or video stream was found.")
    description, extra = video
    codec, profile = _codec_and_profile(description)
    if codec in {"none", "unknown"} or "unknown" in description.split(",")[0]:
        raise MediaError("unsupported codec", "The video uses a codec we cannot decode.")
    pix_fmt = ""
    parts = [p.strip() for p in description.split(",")]
    if len(parts) > 1:
        pix_fmt = parts[1].split("(")[0].strip()
    size = _SIZE.search(description)
    if not size:
        raise MediaError("unsupported codec", f"The video stream ({codec}) has no readable picture size.")
    coded_w, coded_h = int(size.group(1)), int(size.group(2))
    fps = 0.0
    fps_match = _FPS.search(description) or _TBR.search(description)
    if fps_match:
        fps = float(fps_match.group(1)) * (1000 if fps_match.group(2) else 1)
    rotation = 0
    rot = _ROTATION.search(extra) or _ROTATE_TAG.search(extra)
    if rot:
        rotation = int(round(float(rot.group(1)))) % 360
    width, height = (coded_h, coded_w) if rotation in (90, 270) else (coded_w, coded_h)

    duration = 0.0
    dmatch = _DURATION.search(report)
    if dmatch:
        hours, minutes, seconds = dmatch.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    bitrate_match = _BITRATE.search(report)
    container = _INPUT.search(report)

    audio_codec, channels = "", 0
    if audio is not None:
        audio_codec = _codec_and_profile(audio)[0]
        for part in (p.strip() for p in audio.split(",")):
            if part in _CHANNELS:
                channels = _CHANNELS[part]
            elif part.endswith(" channels") and part.split()[0].isdigit():
                channels = int(part.split()[0])
        if audio_codec in {"none", "unknown"}:
            audio_codec = ""
    return MediaInfo(
        duration=duration,
        width=width,
        height=height,
        coded_width=coded_w,
        coded_height=coded_h,
        rotation=rotation,
        video_codec=codec,
        video_profile=profile,
        pix_fmt=pix_fmt,
        fps=fps,
        audio_codec=audio_codec,
        audio_channels=channels,
        container=container.group(1) if container else "",
        bitrate=int(bitrate_match.group(1)) * 1000 if bitrate_match else 0,
    )


def mp4_is_truncated(path: str | Path) -> bool:
    """True when an MP4/MOV's top-level boxes claim more bytes than the file has.

    A cut-off upload with its index (moov) first still opens fine, then stops decoding
    partway; the box sizes tell us at once, without decoding the whole file.
    """
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        if handle.read(8)[4:8] not in {b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip"}:
            return False
        offset = 0
        while offset < size:
            handle.seek(offset)
            header = handle.read(16)
            if len(header) < 8:
                return True
            box_size = int.from_bytes(header[:4], "big")
            if box_size == 1:
                if len(header) < 16:
                    return True
                box_size = int.from_bytes(header[8:16], "big")
            elif box_size == 0:  # runs to the end of the file
                return False
            if box_size < 8:
                return True
            offset += box_size
        return offset > size


def _looks_like_mp4(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(12)[4:8] in {b"ftyp", b"moov", b"mdat", b"wide", b"free"}


def _classify_failure(log: str, path: str = "") -> MediaError:
    text = log.lower()
    if "misdetection possible" in text or (
        path and "moov atom not found" in text and not _looks_like_mp4(path)
    ):
        return MediaError("not a video file", "This is not a video file (ffmpeg cannot read its format).")
    if "moov atom not found" in text or "end of file" in text or "truncat" in text:
        return MediaError("file is truncated", "The file is truncated: it ends before its video data does.")
    if "invalid data found" in text:
        return MediaError("not a video file", "This is not a video file (ffmpeg cannot read its format).")
    if "decoder" in text and ("not found" in text or "unsupported" in text):
        return MediaError("unsupported codec", "The video uses a codec we cannot decode.")
    return MediaError("unreadable file", "The file could not be read as a video.")


def probe(path: str | Path) -> MediaInfo:
    """What `path` holds, or MediaError saying why it cannot be packaged."""
    path = str(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise MediaError("missing file", "The uploaded file is missing from storage.") from exc
    if size == 0:
        raise MediaError("empty file", "The file is empty (0 bytes).")
    result = subprocess.run(
        [ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", path],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )
    report = result.stderr
    if "Input #0" not in report:
        raise _classify_failure(report, path)
    info = parse_report(report)
    if mp4_is_truncated(path):
        raise MediaError("file is truncated", "The file is truncated: it ends before its video data does.")
    if info.duration <= 0:
        raise MediaError("no duration", "The video has no duration: it holds no playable frames.")
    if info.duration > MAX_DURATION_SECONDS:
        raise MediaError("too long", f"The video is longer than {MAX_DURATION_SECONDS // 3600} hours.")
    _decode_head(path, info)
    return info


def _decode_head(path: str, info: MediaInfo) -> None:
    """Decode the first second of picture: proves the codec decodes and frames exist."""
    result = subprocess.run(
        [
            ffmpeg_binary(),
            "-hide_banner",
            "-nostdin",
            "-v",
            "error",
            "-xerror",
            "-t",
            "1",
            "-i",
            path,
            "-map",
            "0:v:0",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )
    if result.returncode != 0:
        log = result.stderr.lower()
        if "decoder" in log or "codec" in log:
            raise MediaError("unsupported codec", f"The video codec ({info.video_codec}) cannot be decoded.")
        raise _classify_failure(result.stderr, path)


def h264_codec_string(path: str | Path) -> str:
    """RFC 6381 `avc1.PPCCLL` of an H.264 stream, read from its first SPS."""
    result = subprocess.run(
        [
            ffmpeg_binary(),
            "-hide_banner",
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(path),
            "-map",
            "0:v:0",
            "-c:v",
            "copy",
            "-bsf:v",
            "h264_mp4toannexb",
            "-frames:v",
            "1",
            "-f",
            "h264",
            "-",
        ],
        capture_output=True,
        timeout=120,
    )
    data = result.stdout
    for match in re.finditer(rb"\x00\x00\x01([\x27\x47\x67])", data):
        sps = data[match.end() : match.end() + 3]
        if len(sps) == 3:
            return "avc1." + sps.hex()
    return "avc1.640028"


ProgressCallback = Callable[[float], None]


def run(
    args: Sequence[str],
    *,
    duration: float = 0.0,
    on_progress: ProgressCallback | None = None,
    cwd: str | Path | None = None,
    total_frames: int = 0,
) -> None:
    """Run ffmpeg with `args`, calling on_progress(0..1) as it reads `-progress`.

    With `total_frames`, progress is the first video output's frame count over it: with a
    second output (the storyboard sprite) ffmpeg's `out_time` follows that output's
    timestamps, not the encode's.

    stderr goes to a temp file (a chatty decoder cannot fill a pipe and stall us) and
    its tail travels in FFmpegFailed if ffmpeg fails.
    """
    command = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats", *args]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=log,
            cwd=cwd,
            preexec_fn=_die_with_parent,  # PDEATHSIG, see _die_with_parent
            # Its own process group: a TERM or Ctrl-C sent to the cluster's group is the
            # cluster's to handle (operations/cluster.py), not a reason for the encode to
            # fail; the worker ends ffmpeg itself when it stops.
            process_group=0,
        )
        try:
            for raw in process.stdout or ():
                line = raw.decode("ascii", "replace").strip()
                key, _, value = line.partition("=")
                if not on_progress or not value.lstrip("-").isdigit():
                    continue
                if total_frames > 0 and key == "frame":
                    on_progress(max(0.0, min(1.0, int(value) / total_frames)))
                elif total_frames <= 0 and duration > 0 and key == "out_time_us":
                    on_progress(max(0.0, min(1.0, int(value) / 1e6 / duration)))
            returncode = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        if returncode != 0:
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - 8000))
            raise FFmpegFailed(returncode, log.read().decode("utf-8", "replace"))
        if on_progress:
            on_progress(1.0)


def still_frame_args(source: str, at_seconds: float, out: str, *, max_height: int) -> list[str]:
    """Arguments (after the binary) that write one JPEG frame of `source`."""
    stream = (
        ffmpeg_python.input(source, ss=f"{at_seconds:.3f}")
        .video.filter("scale", w=-2, h=f"min({max_height},ih)")
        .output(out, vframes=1, **{"q:v": 3})
    )
    return ffmpeg_python.compile(stream, cmd="ffmpeg", overwrite_output=True)[1:]


def version() -> str:
    result = subprocess.run([ffmpeg_binary(), "-version"], capture_output=True, text=True, timeout=30)
    return result.stdout.splitlines()[0] if result.stdout else "unknown"
