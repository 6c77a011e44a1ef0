"""Demo lesson videos: a short generated clip per course, packaged into real encrypted HLS.

Each course gets one 12-second clip (course-coloured background, its title, a running
timecode, and a tone that rises and falls like speech) with English WebVTT captions, and
every lesson of the course plays it. One clip per course rather than one per lesson keeps
`seed_demo` quick: packaging a clip takes a few seconds, and 38 of them would not.

Idempotent: a course's clip is found by its title; it is packaged only when missing or
not ready, and only lessons without a video get it.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile

from learning.models import CoursePage, LessonPage
from media_pipeline import packaging
from media_pipeline.ffmpeg import ffmpeg_binary
from media_pipeline.models import Video, VideoCaption, VideoStatus

from .fonts import BOLD, find_font

CLIP_SECONDS = 12
CLIP_SIZE = "640x360"
TITLE_PREFIX = "Demo clip: "
# A carrier around 180 Hz, wobbling in pitch, in bursts of ~3 syllables a second.
SPEECH_LIKE = (
    "aevalsrc='0.35*sin(2*PI*(170+35*sin(2*PI*0.7*t))*t)*(0.55+0.45*sin(2*PI*2.7*t))"
    f"*lt(mod(t,4),3.3)':s=48000:d={CLIP_SECONDS}"
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\u2019").replace("%", "\\%")


def _render_clip(title: str, color: str, out: Path) -> Path:
    """12 s of H.264/AAC: background colour, course title and a timecode burnt in."""
    video_filter = "null"
    font = find_font(BOLD)
    if font:
        video_filter = (
            f"drawtext=fontfile={font}:text='{_escape(title)}':fontcolor=white:fontsize=28:"
            "x=(w-text_w)/2:y=h/2-60,"
            f"drawtext=fontfile={font}:text='%{{pts\\:hms}}':fontcolor=white@0.9:fontsize=44:"
            "x=(w-text_w)/2:y=h/2+10,"
            f"drawtext=fontfile={font}:text='Lectern demo lesson':fontcolor=white@0.7:fontsize=18:"
            "x=(w-text_w)/2:y=h-50"
        )
    subprocess.run(  # noqa: S603 - fixed argument list
        [
            ffmpeg_binary(),
            *("-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", f"color=c={color}:s={CLIP_SIZE}:r=25:d={CLIP_SECONDS}"),
            *("-f", "lavfi", "-i", SPEECH_LIKE),
            *("-vf", video_filter),
            *("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", "150"),
            *("-c:a", "aac", "-b:a", "96k", "-shortest", str(out)),
        ],
        check=True,
        timeout=300,
    )
    return out


def captions_for(title: str) -> str:
    return (
        "WEBVTT\n\n"
        f"00:00:00.500 --> 00:00:04.000\nWelcome to {title}.\n\n"
        "00:00:04.000 --> 00:00:08.000\nThis short clip stands in for the lesson video.\n\n"
        f"00:00:08.000 --> 00:00:{CLIP_SECONDS:02d}.000\nIt is real encrypted HLS, packaged on this machine.\n"
    )


def course_video(title: str, color: str, tally=None) -> Video:
    """The course's demo clip, packaged (created and packaged only when needed)."""
    video, created = Video.objects.get_or_create(title=f"{TITLE_PREFIX}{title}")
    if tally is not None:
        tally.record("videos", created or not video.is_ready)
    if video.is_ready:
        return video
    with tempfile.TemporaryDirectory(prefix="lectern-demo-video-") as folder:
        clip = _render_clip(title, color, Path(folder) / "lesson.mp4")
        with clip.open("rb") as handle:
            video.source.save("lesson.mp4", File(handle), save=True)
    video = packaging.package(video.pk, first_playable=False)
    if video.status != VideoStatus.READY:
        raise RuntimeError(f"Demo clip for {title!r} failed to package: {video.error_message}")
    if not video.captions.exists():
        caption = VideoCaption(video=video, language="en", label="English", is_default=True)
        caption.file.save("en.vtt", ContentFile(captions_for(title).encode()), save=True)
    return video


def attach_course_video(course: CoursePage, title: str, color: str, tally=None) -> Video:
    """Give every lesson of the course without a video the course's demo clip."""
    video = course_video(title, color, tally)
    for lesson in LessonPage.objects.descendant_of(course).filter(video__isnull=True).specific():
        lesson.video = video
        lesson.save_revision(log_action=False).publish(log_action=False)
    return video
