"""Source video → AES-128 encrypted HLS in private storage.

`package(video_id)` is the whole job (the queued task and `manage.py package_video` both
call it):

1. probe the source (a bad file fails here, with a reason, before anything is stored);
2. *first playable*, when nothing of this video plays yet: stream copy an H.264 source
   (seconds), else a fast low-resolution encode, published at once (status stays
   `processing`, `is_playable` becomes true);
3. the full ladder (360p/720p/1080p, never above the source's shorter side), poster
   and storyboard, in a fresh build folder; every rendition gets its own random content
   key and IV (kept wrapped in its `renditions` entry), so a tier's key never opens a
   quality above its cap;
4. one UPDATE swaps `renditions` + `storage_prefix` and marks the video `ready`; only
   then are earlier builds and replaced sources deleted.

Each run works in a temporary directory and writes to a new build prefix, so a failure,
a replaced source or a killed worker never touches what players are streaming. A run
starts by deleting builds nothing points at (what a killed run left), which makes a
retry idempotent.
"""

from __future__ import annotations

import glob
import logging
import math
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from Crypto.Cipher import AES

from . import ffmpeg
from . import storage as store
from .keys import new_content_key, rendition_key_entry
from .models import Video, VideoStatus
from .signals import video_ready

logger = logging.getLogger(__name__)

SEGMENT_SECONDS = 6
LADDER_HEIGHTS = (360, 720, 1080)
MAX_FPS = 30
# (max video bitrate, audio bitrate, x264 level) per rung; capped CRF keeps slides small.
_RUNG_RATES = {
    360: (900_000, 96_000, "3.0"),
    720: (3_000_000, 128_000, "3.1"),
    1080: (5_500_000, 128_000, "4.0"),
}
_LEVEL_HEX = {"3.0": "1e", "3.1": "1f", "4.0": "28", "4.1": "29", "4.2": "2a", "5.1": "33"}
AUDIO_CODECS = "mp4a.40.2"
STORYBOARD_COLUMNS = 10
STORYBOARD_MAX_THUMBS = 200
TEMP_PREFIX = "lectern-pack-"
# Which way the ladder is encoded; bench/packaging.py measures both. One process per
# rung was faster on the 2-core reference machine.
LADDER_MODE = "per-rung"


@dataclass(frozen=True)
class Rung:
    """One rendition: `label` is the shorter side (what tiers cap), width/height are pixels."""

    label: int
    width: int
    height: int
    max_bitrate: int
    audio_bitrate: int
    level: str

    @property
    def name(self) -> str:
        return f"{self.label}p"

    @property
    def codecs(self) -> str:
        return f"avc1.6400{_LEVEL_HEX.get(self.level, '28')},{AUDIO_CODECS}"


@dataclass(frozen=True)
class StoryboardPlan:
    interval: float
    count: int
    columns: int
    rows: int
    thumb_width: int
    thumb_height: int


def _even(value: float) -> int:
    return max(2, int(round(value / 2.0)) * 2)


def _size_for(info: ffmpeg.MediaInfo, shorter: int) -> tuple[int, int]:
    if info.is_portrait:
        return _even(shorter), _even(shorter * info.height / info.width)
    return _even(shorter * info.width / info.height), _even(shorter)


def plan_ladder(info: ffmpeg.MediaInfo) -> list[Rung]:
    """360/720/1080 up to the source's shorter side (portrait stays portrait); a source
    smaller than 360p gets one rung at its own size."""
    labels = [h for h in LADDER_HEIGHTS if h <= info.shorter_side] or [_even(info.shorter_side)]
    rungs = []
    for label in labels:
        max_bitrate, audio_bitrate, level = _RUNG_RATES.get(label, _RUNG_RATES[360])
        width, height = _size_for(info, label)
        rungs.append(Rung(label, width, height, max_bitrate, audio_bitrate, level))
    return rungs


def first_playable_rung(info: ffmpeg.MediaInfo) -> Rung:
    """The quick rendition: the source as it is (stream copy) or a 360p encode."""
    if info.can_stream_copy:
        label = info.shorter_side
        return Rung(label, info.width, info.height, max(info.bitrate, 1), 128_000, "")
    return plan_ladder(info)[0]


def plan_storyboard(info: ffmpeg.MediaInfo) -> StoryboardPlan:
    interval = max(2.0, math.ceil(info.duration / STORYBOARD_MAX_THUMBS))
    count = max(1, math.ceil(info.duration / interval))
    if info.is_portrait:
        thumb_h, thumb_w = 160, _even(160 * info.width / info.height)
    else:
        thumb_w, thumb_h = 160, _even(160 * info.height / info.width)
    return StoryboardPlan(
        interval, count, STORYBOARD_COLUMNS, math.ceil(count / STORYBOARD_COLUMNS), thumb_w, thumb_h
    )


def storyboard_vtt(plan: StoryboardPlan, duration: float, image: str = "storyboard.jpg") -> str:
    """WebVTT index of the sprite: one cue per thumbnail, `image#xywh=x,y,w,h`."""
    lines = ["WEBVTT", ""]
    for index in range(plan.count):
        start = index * plan.interval
        if start >= duration:
            break
        end = min(duration, start + plan.interval)
        x = (index % plan.columns) * plan.thumb_width
        y = (index // plan.columns) * plan.thumb_height
        lines += [
            f"{_vtt_time(start)} --> {_vtt_time(end)}",
            f"{image}#xywh={x},{y},{plan.thumb_width},{plan.thumb_height}",
            "",
        ]
    return "\n".join(lines)


def _vtt_time(seconds: float) -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def write_key_info(workdir: Path, key: bytes) -> tuple[Path, str]:
    """ffmpeg's -hls_key_info_file: URI placeholder, key file, and an explicit random IV.

    Without the third line ffmpeg writes every segment with an all-zero IV.
    """
    iv = os.urandom(16).hex()
    key_file = workdir / f"key-{uuid.uuid4().hex[:8]}.bin"
    key_file.write_bytes(key)
    info = workdir / f"keyinfo-{uuid.uuid4().hex[:8]}.txt"
    info.write_text(f"key\n{key_file}\n{iv}\n")
    return info, iv


def reencrypt_segments(folder: Path, old_key: bytes, new_key: bytes) -> None:
    """Move a rendition's AES-128-CBC segments to another key and a fresh random IV
    (written into its playlist); the padding is carried over as it is."""
    playlist = folder / "index.m3u8"
    text = playlist.read_text()
    old_iv = parse_media_playlist(text).iv
    new_iv = os.urandom(16)
    for segment in sorted(folder.glob("*.ts")):
        clear = AES.new(old_key, AES.MODE_CBC, iv=bytes.fromhex(old_iv)).decrypt(segment.read_bytes())
        segment.write_bytes(AES.new(new_key, AES.MODE_CBC, iv=new_iv).encrypt(clear))
    playlist.write_text(re.sub(f"(?i)IV=0x{old_iv}", f"IV=0x{new_iv.hex()}", text))


def _hls_args(key_info: Path, segment_pattern: str) -> list[str]:
    return [
        "-f",
        "hls",
        "-hls_time",
        str(SEGMENT_SECONDS),
        "-hls_playlist_type",
        "vod",
        "-hls_segment_type",
        "mpegts",
        "-hls_flags",
        "independent_segments",
        "-hls_key_info_file",
        str(key_info),
        "-hls_segment_filename",
        segment_pattern,
    ]


def _threads() -> list[str]:
    threads = getattr(settings, "MEDIA_FFMPEG_THREADS", 0)
    return ["-threads", str(threads)] if threads else []


def _audio_input(info: ffmpeg.MediaInfo) -> list[str]:
    """A silent track for a source without sound, so every rendition has AAC audio."""
    if info.has_audio:
        return []
    return [
        "-f",
        "lavfi",
        "-t",
        f"{info.duration:.3f}",
        "-i",
        "anullsrc=channel_layout=stereo:sample_rate=48000",
    ]


def _audio_map(info: ffmpeg.MediaInfo) -> str:
    return "0:a:0" if info.has_audio else "1:a:0"


def _fps(info: ffmpeg.MediaInfo) -> str:
    if 0 < info.fps <= MAX_FPS:
        return f"{info.fps:.3f}".rstrip("0").rstrip(".")
    return str(MAX_FPS)


def _frames(info: ffmpeg.MediaInfo) -> int:
    """Frames each encoded rendition will have (the progress denominator)."""
    return max(1, int(info.duration * float(_fps(info))))


def _x264(index: int | None, rung: Rung, preset: str) -> list[str]:
    sfx = f":{index}" if index is not None else ""
    return [
        f"-c:v{sfx}",
        "libx264",
        f"-preset{sfx}",
        preset,
        f"-profile:v{sfx}",
        "high",
        f"-level:v{sfx}",
        rung.level,
        f"-crf{sfx}",
        "23",
        f"-maxrate:v{sfx}",
        str(rung.max_bitrate),
        f"-bufsize:v{sfx}",
        str(rung.max_bitrate * 2),
        f"-b:a{sfx}",
        str(rung.audio_bitrate),
    ]


def _common_encode() -> list[str]:
    return [
        "-pix_fmt",
        "yuv420p",
        "-force_key_frames",
        f"expr:gte(t,n_forced*{SEGMENT_SECONDS})",
        "-c:a",
        "aac",
        "-ac",
        "2",
        "-ar",
        "48000",
    ]


def first_playable_args(source: str, info: ffmpeg.MediaInfo, out_dir: Path, key_info: Path) -> list[str]:
    """ffmpeg arguments for the quick rendition in out_dir/<name>/index.m3u8."""
    rung = first_playable_rung(info)
    folder = out_dir / rung.name
    folder.mkdir(parents=True, exist_ok=True)
    args = ["-i", source, *_audio_input(info), "-map", "0:v:0", "-map", _audio_map(info), *_threads()]
    if info.can_stream_copy:
        args += ["-c:v", "copy"]
        args += ["-c:a", "copy"] if info.audio_codec == "aac" else ["-c:a", "aac", "-b:a", "128k", "-ac", "2"]
    else:
        args += [
            "-vf",
            f"fps={_fps(info)},scale={rung.width}:{rung.height}",
            *_common_encode(),
            *_x264(None, rung, "ultrafast"),
        ]
    args += ["-shortest", "-max_muxing_queue_size", "4096"]
    args += [*_hls_args(key_info, str(folder / "seg_%05d.ts")), str(folder / "index.m3u8")]
    return args


def _thumbnail_folder(out_dir: Path) -> Path:
    """Beside the output folder (which is uploaded as it is), not inside it."""
    return out_dir.parent / f"{out_dir.name}-thumbs"


def _thumbnail_output(out_dir: Path) -> list[str]:
    """Seek-preview thumbnails as single JPEGs, one every interval.

    A tiled sprite straight from the encode would emit its one frame only at the end,
    and ffmpeg would then run the whole encode without a single progress report.
    """
    folder = _thumbnail_folder(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return ["-map", "[sb]", "-q:v", "4", "-f", "image2", str(folder / "%05d.jpg")]


def build_storyboard(out_dir: Path, plan: StoryboardPlan, duration: float) -> None:
    """Tile the thumbnails into storyboard.jpg and write storyboard.vtt beside it."""
    thumbs = sorted(_thumbnail_folder(out_dir).glob("*.jpg"))
    if not thumbs:
        return
    plan = replace(plan, count=len(thumbs), rows=math.ceil(len(thumbs) / plan.columns))
    ffmpeg.run(
        [
            "-framerate",
            "1",
            "-i",
            str(_thumbnail_folder(out_dir) / "%05d.jpg"),
            "-vf",
            f"tile={plan.columns}x{plan.rows}",
            "-frames:v",
            "1",
            "-q:v",
            "4",
            str(out_dir / "storyboard.jpg"),
        ]
    )
    (out_dir / "storyboard.vtt").write_text(storyboard_vtt(plan, duration))


def ladder_args_one_process(
    source: str,
    info: ffmpeg.MediaInfo,
    rungs: list[Rung],
    out_dir: Path,
    key_info: Path,
    storyboard: StoryboardPlan | None,
    preset: str = "veryfast",
) -> list[str]:
    """One ffmpeg: decode once, split to every rung (+ storyboard), var_stream_map."""
    for rung in rungs:
        (out_dir / rung.name).mkdir(parents=True, exist_ok=True)
    branches = len(rungs) + (1 if storyboard else 0)
    graph = [f"[0:v:0]fps={_fps(info)},split={branches}" + "".join(f"[s{i}]" for i in range(branches))]
    for i, rung in enumerate(rungs):
        graph.append(f"[s{i}]scale={rung.width}:{rung.height}[v{i}]")
    if storyboard:
        graph.append(
            f"[s{len(rungs)}]fps=1/{storyboard.interval:g},scale={storyboard.thumb_width}:{storyboard.thumb_height}[sb]"
        )
    args = ["-i", source, *_audio_input(info), "-filter_complex", ";".join(graph), *_threads()]
    for i in range(len(rungs)):
        args += ["-map", f"[v{i}]", "-map", _audio_map(info)]
    args += _common_encode()
    for i, rung in enumerate(rungs):
        args += _x264(i, rung, preset)
    stream_map = " ".join(f"v:{i},a:{i},name:{rung.name}" for i, rung in enumerate(rungs))
    args += ["-shortest", "-max_muxing_queue_size", "4096"]
    args += [*_hls_args(key_info, str(out_dir / "%v" / "seg_%05d.ts")), "-var_stream_map", stream_map]
    args += [str(out_dir / "%v" / "index.m3u8")]
    if storyboard:
        args += _thumbnail_output(out_dir)
    return args


def ladder_args_per_rung(
    source: str,
    info: ffmpeg.MediaInfo,
    rungs: list[Rung],
    out_dir: Path,
    key_info: Path | list[Path],
    storyboard: StoryboardPlan | None,
    preset: str = "veryfast",
) -> list[list[str]]:
    """One ffmpeg per rung (the storyboard rides with the first); `key_info` is one
    key-info file per rung, or one for all."""
    key_infos = key_info if isinstance(key_info, list) else [key_info] * len(rungs)
    commands = []
    for index, rung in enumerate(rungs):
        folder = out_dir / rung.name
        folder.mkdir(parents=True, exist_ok=True)
        args = ["-i", source, *_audio_input(info), *_threads()]
        chain = f"[0:v:0]fps={_fps(info)},scale={rung.width}:{rung.height}"
        if storyboard and index == 0:
            chain += (
                f",split=2[v][t];[t]fps=1/{storyboard.interval:g},"
                f"scale={storyboard.thumb_width}:{storyboard.thumb_height}[sb]"
            )
        else:
            chain += "[v]"
        args += ["-filter_complex", chain, "-map", "[v]", "-map", _audio_map(info)]
        args += [*_common_encode(), *_x264(None, rung, preset), "-shortest", "-max_muxing_queue_size", "4096"]
        args += [*_hls_args(key_infos[index], str(folder / "seg_%05d.ts")), str(folder / "index.m3u8")]
        if storyboard and index == 0:
            args += _thumbnail_output(out_dir)
        commands.append(args)
    return commands


@dataclass
class MediaPlaylist:
    iv: str
    key_uri: str
    segments: list[tuple[float, str]]

    @property
    def duration(self) -> float:
        return sum(d for d, _ in self.segments)


_KEY_LINE = re.compile(r'#EXT-X-KEY:METHOD=AES-128,URI="([^"]*)",IV=0x([0-9a-fA-F]{32})')


def parse_media_playlist(text: str) -> MediaPlaylist:
    """Segments (duration, uri) and the key line of one of our media playlists."""
    key = _KEY_LINE.search(text)
    segments: list[tuple[float, str]] = []
    pending: float | None = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXTINF:"):
            pending = float(line[8:].split(",")[0])
        elif line and not line.startswith("#") and pending is not None:
            segments.append((pending, line))
            pending = None
    return MediaPlaylist(key.group(2).lower() if key else "", key.group(1) if key else "", segments)


def _rendition(rung: Rung, folder: Path, codecs: str) -> dict:
    playlist = parse_media_playlist((folder / "index.m3u8").read_text())
    if not playlist.segments:
        raise ffmpeg.MediaError("no frames", "Packaging produced no video segments.")
    if not playlist.iv or int(playlist.iv, 16) == 0:
        raise RuntimeError("ffmpeg wrote a playlist without an explicit random IV")
    peak = 0
    total_bytes = 0
    for duration, uri in playlist.segments:
        size = (folder / uri).stat().st_size
        total_bytes += size
        if duration > 0.5:
            peak = max(peak, int(size * 8 / duration))
    average = int(total_bytes * 8 / max(playlist.duration, 0.001))
    return {
        "height": rung.label,
        "width": rung.width,
        "resolution": f"{rung.width}x{rung.height}",
        "bandwidth": max(peak, average),
        "average_bandwidth": average,
        "codecs": codecs,
        "playlist": f"{rung.name}/index.m3u8",
        "duration": round(playlist.duration, 3),
        "segments": len(playlist.segments),
    }


def _poster(source: str, info: ffmpeg.MediaInfo, out: Path) -> None:
    at = min(max(info.duration * 0.1, 0.0), 30.0, max(info.duration - 0.5, 0.0))
    ffmpeg.run(ffmpeg.still_frame_args(source, at, str(out), max_height=720))


class Superseded(Exception):
    """A newer packaging run of the same video took over; this one stops without a trace."""


class _Run:
    """One packaging run. Every write is conditional on the video still naming this run,
    so a run that was superseded (source replaced again, a retry of a stalled job) can
    never publish over a newer one."""

    def __init__(self, video_id: int):
        self.video_id = video_id
        self.run_id = uuid.uuid4().hex

    def claim(self, **fields) -> None:
        Video.objects.filter(pk=self.video_id).update(packaging_run=self.run_id, **fields)

    def update(self, **fields) -> bool:
        return bool(Video.objects.filter(pk=self.video_id, packaging_run=self.run_id).update(**fields))

    def publish(self, **fields) -> None:
        if not self.update(**fields):
            raise Superseded


class _Progress:
    """Maps a stage's 0..1 onto the video's 0..100 and saves at most every ~2 s."""

    def __init__(self, run: _Run | int, report: Callable[[int, str], None] | None, interval: float = 2.0):
        self.run = run if isinstance(run, _Run) else _Run(run)
        self.report = report
        self.interval = interval
        self.last_save = 0.0
        self.percent = 0
        self.stage = ""
        self.span = (0, 100)

    def enter(self, stage: str, start: int, end: int) -> None:
        self.stage, self.span = stage, (start, end)
        self.set(0.0, force=True)

    def set(self, fraction: float, force: bool = False) -> None:
        start, end = self.span
        percent = max(self.percent, min(99, int(start + (end - start) * fraction)))
        self.percent = percent
        now = time.monotonic()
        if force or now - self.last_save >= self.interval:
            self.last_save = now
            self.run.update(progress=percent, stage=self.stage[:60], updated_at=timezone.now())
        if self.report:
            self.report(percent, self.stage)


def _clear_stale_temp_dirs(public_id) -> None:
    for path in glob.glob(os.path.join(tempfile.gettempdir(), f"{TEMP_PREFIX}{public_id}-*")):
        shutil.rmtree(path, ignore_errors=True)


def _delete_unreferenced_builds(video: Video, keep: set[str]) -> int:
    deleted = 0
    for folder in store.list_folders(store.video_root(video.public_id)):
        if folder not in keep:
            deleted += store.delete_prefix(folder)
    return deleted


def _delete_replaced_sources(video: Video) -> None:
    current = Video.objects.filter(pk=video.pk).values_list("source", flat=True).first() or ""
    for name in store.list_files(store.source_folder(video.public_id)):
        if name != current:
            store.delete_name(name)


def _fail(video: Video, error: Exception, restore: dict, run: _Run | None = None) -> None:
    reason = error.message if isinstance(error, ffmpeg.MediaError) else _plain_failure(error)
    if isinstance(error, ffmpeg.MediaError) and video.source:
        # An unusable upload is not kept: the editor has the original, and storage holds
        # nothing of a failed video. A replaced source that is still there comes back.
        name = video.source.name
        store.delete_name(name)
        earlier = [n for n in store.list_files(store.source_folder(video.public_id)) if n != name]
        restore = {
            **restore,
            "source": earlier[-1] if earlier else "",
            "source_size": store.private_storage().size(earlier[-1]) if earlier else 0,
        }
        reason = f"{reason} ({os.path.basename(name)})"
    fields = dict(
        restore, status=VideoStatus.FAILED, error_message=reason, stage="Failed", updated_at=timezone.now()
    )
    if run is None:
        Video.objects.filter(pk=video.pk).update(**fields)
    else:
        run.update(**fields)


def _plain_failure(error: Exception) -> str:
    if isinstance(error, ffmpeg.FFmpegFailed):
        return "Encoding failed: ffmpeg could not convert this file. " + error.log_tail.strip()[-300:]
    return f"Packaging failed unexpectedly ({type(error).__name__}). Try again, or upload the file again."


def package(
    video_id: int,
    *,
    report: Callable[[int, str], None] | None = None,
    ladder_mode: str | None = None,
    first_playable: bool = True,
) -> Video:
    """Package one video end to end; returns it ready, or failed with error_message set.

    Expected problems with the source (MediaError) end as a failed video; anything else
    also fails the video, then propagates so the job log shows it.
    """
    video = Video.objects.get(pk=video_id)
    if not video.source:
        _fail(video, ffmpeg.MediaError("no source", "No source file was uploaded."), {})
        return Video.objects.get(pk=video_id)
    run = _Run(video.pk)
    progress = _Progress(run, report)
    restore = {
        "renditions": video.renditions,
        "storage_prefix": video.storage_prefix,
        "poster": video.poster,
        "storyboard": video.storyboard,
    }
    run.claim(status=VideoStatus.PROCESSING, error_message="", progress=0, stage="Checking the file")
    _clear_stale_temp_dirs(video.public_id)
    # What a killed run left behind: any build that the video does not point at.
    _delete_unreferenced_builds(video, {video.storage_prefix} if video.storage_prefix else set())
    created: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{video.public_id}-"))
    try:
        with store.local_copy(video.source.name, workdir=workdir) as source:
            progress.enter("Checking the file", 0, 2)
            info = ffmpeg.probe(source)
            run.update(
                duration_seconds=info.duration,
                source_width=info.width,
                source_height=info.height,
                source_video_codec=info.video_codec[:40],
                source_audio_codec=info.audio_codec[:40],
                source_size=video.source.size,
            )
            ladder_start = 2
            if first_playable and not video.is_playable:
                prefix = _publish_first_playable(video, source, info, workdir, progress, created, run)
                restore_first = prefix
                ladder_start = 15
            else:
                restore_first = None
            prefix = _package_ladder(
                video, source, info, workdir, progress, created, ladder_start, ladder_mode, run
            )
        if restore_first:
            created.remove(restore_first)
        _delete_unreferenced_builds(video, {prefix})
        _delete_replaced_sources(video)
    except Superseded:
        # The newer run owns the video now; keep whatever the video still points at.
        current = Video.objects.filter(pk=video.pk).values_list("storage_prefix", flat=True).first()
        for prefix in created:
            if prefix != current:
                store.delete_prefix(prefix)
        logger.info("Packaging run %s of video %s was superseded", run.run_id, video.pk)
        return Video.objects.get(pk=video_id)
    except Exception as error:
        for prefix in created:
            store.delete_prefix(prefix)
        _fail(video, error, restore, run)
        if not isinstance(error, ffmpeg.MediaError):
            logger.exception("Packaging video %s failed", video.pk)
            raise
        return Video.objects.get(pk=video_id)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    video = Video.objects.get(pk=video_id)
    video_ready.send(sender=Video, video=video)
    return video


def _publish_first_playable(video, source, info, workdir, progress, created, run=None) -> str:
    out = workdir / "first"
    out.mkdir()
    progress.enter("Making a first playable version", 2, 15)
    key = new_content_key()
    key_info, _iv = write_key_info(workdir, key)
    rung = first_playable_rung(info)
    ffmpeg.run(
        first_playable_args(source, info, out, key_info), duration=info.duration, on_progress=progress.set
    )
    codecs = ffmpeg.h264_codec_string(source) + "," + AUDIO_CODECS if info.can_stream_copy else rung.codecs
    rendition = {**_rendition(rung, out / rung.name, codecs), "key": rendition_key_entry(key)}
    _poster(source, info, out / "poster.jpg")
    prefix = store.build_prefix(video.public_id, uuid.uuid4().hex[:12])
    created.append(prefix)
    size = store.upload_tree(out, prefix)
    (run or progress.run).publish(
        renditions=[rendition],
        storage_prefix=prefix,
        poster=prefix + "poster.jpg",
        output_size=size,
        updated_at=timezone.now(),
    )
    video.renditions, video.storage_prefix = [rendition], prefix
    return prefix


def _package_ladder(video, source, info, workdir, progress, created, start, ladder_mode, run=None) -> str:
    out = workdir / "ladder"
    out.mkdir()
    rungs = plan_ladder(info)
    names = [r.name for r in rungs]
    # What the editor sees: the rungs this source gets ("Encoding 360p and 720p").
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    progress.enter("Encoding " + listed, start, 95)
    keys = [new_content_key() for _rung in rungs]
    key_infos = [write_key_info(workdir, key)[0] for key in keys]
    storyboard = plan_storyboard(info)
    mode = ladder_mode or getattr(settings, "MEDIA_LADDER_MODE", "") or LADDER_MODE
    if mode == "per-rung":
        commands = ladder_args_per_rung(source, info, rungs, out, key_infos, storyboard)
        share = 1 / len(commands)
        for index, args in enumerate(commands):
            ffmpeg.run(
                args,
                duration=info.duration,
                total_frames=_frames(info),
                on_progress=lambda f, i=index: progress.set((i + f) * share),
            )
    else:
        # One muxer takes one key-info file: every rung comes out under the first rung's
        # key, and the others are re-encrypted under their own.
        args = ladder_args_one_process(source, info, rungs, out, key_infos[0], storyboard)
        ffmpeg.run(args, duration=info.duration, total_frames=_frames(info), on_progress=progress.set)
        for rung, key in zip(rungs[1:], keys[1:], strict=True):
            reencrypt_segments(out / rung.name, keys[0], key)
    renditions = [
        {**_rendition(rung, out / rung.name, rung.codecs), "key": rendition_key_entry(key)}
        for rung, key in zip(rungs, keys, strict=True)
    ]
    encoded = min(r["duration"] for r in renditions)
    if info.duration > 3 and encoded < info.duration * 0.9 - 1:
        raise ffmpeg.MediaError(
            "file is truncated",
            f"The file is truncated or damaged: only {encoded:.0f} s of its {info.duration:.0f} s could be read.",
        )
    build_storyboard(out, storyboard, info.duration)
    _poster(source, info, out / "poster.jpg")
    progress.enter("Storing the segments", 95, 100)
    prefix = store.build_prefix(video.public_id, uuid.uuid4().hex[:12])
    created.append(prefix)
    size = store.upload_tree(out, prefix)
    # The swap: players asking from now on get the ladder, in one statement. The video's
    # single key of an older packaging (if any) now opens nothing, and goes with it.
    (run or progress.run).publish(
        renditions=renditions,
        wrapped_key=None,
        master_key_id="",
        storage_prefix=prefix,
        poster=prefix + "poster.jpg",
        storyboard=prefix + "storyboard.vtt",
        output_size=size,
        status=VideoStatus.READY,
        progress=100,
        stage="Ready",
        error_message="",
        packaged_at=timezone.now(),
        updated_at=timezone.now(),
    )
    created.remove(prefix)
    return prefix
