"""Tiny packaged videos for playback tests, packaged by the real pipeline.

A 12-second H.264/AAC clip is generated and packaged once per test process with
`media_pipeline.packaging.package` (the same code the job runs); its output and content
key are kept aside and copied into private storage for each test video. The renditions
metadata may then claim 360/720/1080p (all the same tiny picture), so the tier cap can be
tested without encoding 1080p; each claimed height is re-encrypted under its own key and
IV as packaging makes them (or, with `single_key=True`, all share the video's one key, as
videos packaged before per-rendition keys do).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from .packaging_support import make_clip

CLIP_SECONDS = 12
CAPTION_TEXT = "Hello from Lectern"
CAPTIONS_VTT = (
    "WEBVTT\n\n"
    f"00:00:00.000 --> 00:00:04.000\n{CAPTION_TEXT}\n\n"
    "00:00:04.000 --> 00:00:12.000\nSecond caption line\n"
)

_PACKAGED: dict = {}


def packaged_clip() -> dict:
    """{"folder", "key", "rendition", "poster", "storyboard"} of the clip packaged once."""
    if _PACKAGED:
        return _PACKAGED
    from media_pipeline.models import Video, VideoStatus
    from media_pipeline.packaging import package

    work = Path(tempfile.mkdtemp(prefix="lectern-test-playback-"))
    source = make_clip(work / "lecture.mp4", seconds=CLIP_SECONDS)
    video = Video.objects.create(title="Playback fixture")
    with source.open("rb") as fh:
        video.source.save("lecture.mp4", File(fh), save=True)
    video = package(video.pk)
    assert video.status == VideoStatus.READY, video.error_message
    storage = storages["private"]
    folder = work / "out"
    _copy_out(storage, video.storage_prefix, folder)
    lowest = sorted(video.renditions, key=lambda r: r["height"])[0]
    _PACKAGED.update(
        folder=folder,
        key=video.rendition_key(lowest),
        rendition=lowest,
        poster=video.poster.removeprefix(video.storage_prefix),
        storyboard=video.storyboard.removeprefix(video.storage_prefix),
    )
    video.delete()
    return _PACKAGED


def _copy_out(storage, prefix: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    dirs, files = storage.listdir(prefix)
    for name in files:
        with storage.open(prefix + name, "rb") as src, open(folder / name, "wb") as dst:
            shutil.copyfileobj(src, dst)
    for sub in dirs:
        _copy_out(storage, f"{prefix}{sub}/", folder / sub)


def content_key() -> bytes:
    """The key of the clip as packaged (every height's with `single_key=True`)."""
    return packaged_clip()["key"]


def rendition_key_of(video, height: int) -> bytes:
    """The raw key of `video`'s rendition of this height, as stored."""
    from media_pipeline.playback import rendition_for_height

    return video.rendition_key(rendition_for_height(video, height))


def store_packaged(video, heights=(360, 720), *, captions=True, save=True, single_key=False):
    """Put the packaged clip into private storage as `video`'s output, one folder per
    claimed height, and fill the fields packaging fills (keys wrapped, lowest first)."""
    from media_pipeline.keys import rendition_key_entry
    from media_pipeline.models import VideoCaption, VideoStatus
    from media_pipeline.packaging import reencrypt_segments

    clip = packaged_clip()
    storage = storages["private"]
    prefix = f"video/{video.public_id}/{uuid.uuid4().hex[:12]}/"
    real = clip["rendition"]
    real_folder = clip["folder"] / real["playlist"].rsplit("/", 1)[0]
    renditions = []
    for i, height in enumerate(heights):
        folder = Path(tempfile.mkdtemp(prefix="lectern-test-rendition-"))
        for path in sorted(real_folder.iterdir()):
            shutil.copyfile(path, folder / path.name)
        key = clip["key"] if single_key else os.urandom(16)
        if not single_key:
            reencrypt_segments(folder, clip["key"], key)
        for path in sorted(folder.iterdir()):
            storage.save(f"{prefix}{height}p/{path.name}", ContentFile(path.read_bytes()))
        shutil.rmtree(folder, ignore_errors=True)
        rendition = {
            "height": height,
            "width": height * 16 // 9,
            "bandwidth": real["bandwidth"] * (i + 1),
            "codecs": real["codecs"],
            "playlist": f"{height}p/{real['playlist'].rsplit('/', 1)[-1]}",
        }
        if not single_key:
            rendition["key"] = rendition_key_entry(key)
        renditions.append(rendition)
    for name in (clip["poster"], clip["storyboard"]):
        storage.save(prefix + name, ContentFile((clip["folder"] / name).read_bytes()))
    sprite_folder = clip["folder"] / clip["storyboard"]
    for path in sorted(sprite_folder.parent.glob("*.jpg")):
        relative = path.relative_to(clip["folder"]).as_posix()
        if relative != clip["poster"]:
            storage.save(prefix + relative, ContentFile(path.read_bytes()))
    video.storage_prefix = prefix
    video.renditions = renditions
    video.poster = prefix + clip["poster"]
    video.storyboard = prefix + clip["storyboard"]
    video.duration_seconds = float(CLIP_SECONDS)
    video.status = VideoStatus.READY
    if single_key:
        video.set_content_key(clip["key"])
    else:
        video.wrapped_key, video.master_key_id = None, ""
    if save:
        video.save()
        if captions:
            VideoCaption.objects.create(
                video=video,
                language="en",
                label="English",
                is_default=True,
                file=ContentFile(CAPTIONS_VTT.encode(), name="en.vtt"),
            )
    return video


def make_video(title="Lecture", heights=(360, 720), captions=True, single_key=False):
    from media_pipeline.models import Video

    video = Video.objects.create(title=title)
    return store_packaged(video, heights, captions=captions, single_key=single_key)


def lesson_with_video(catalog, *, tier=None, video=None, heights=(360, 720), captions=True, **lesson_fields):
    """A live lesson (course needing `tier`) whose video is a packaged clip."""
    from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

    course = CoursePageFactory(parent=catalog, required_tier=tier)
    module = ModulePageFactory(parent=course)
    video = video or make_video(heights=heights, captions=captions)
    return LessonPageFactory(parent=module, video=video, **lesson_fields)
