"""Operator commands: package_video, verify_video, rotate_media_master_key."""

import base64
import os
from io import StringIO

from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from media_pipeline import keys, packaging
from media_pipeline.models import Video, VideoStatus

from .packaging_support import stored_names, video_from

pytestmark = pytest.mark.django_db


def _call(*args, **kwargs) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_package_video_packages_a_file_with_a_progress_bar(clips, private_root):
    out, err = _call("package_video", str(clips["vp9"]), "--title", "Welcome talk")
    video = Video.objects.get(title="Welcome talk")
    assert video.status == VideoStatus.READY
    assert f"Video {video.pk} is ready" in out and "180p" in out
    assert "100%" in err and "Encoding" in err  # tqdm's bar, named after the stage


def test_package_video_refuses_a_non_video_and_keeps_nothing(clips, private_root):
    with pytest.raises(CommandError, match="not a video file"):
        _call("package_video", str(clips["text"]), "--title", "Notes")
    video = Video.objects.get(title="Notes")
    assert video.status == VideoStatus.FAILED and stored_names(video) == []


def test_package_video_says_when_the_path_is_missing(private_root, tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        _call("package_video", str(tmp_path / "nope.mp4"))


@pytest.fixture
def ready_video(clips, private_root):
    return packaging.package(video_from(clips["h264"]).pk)


def test_verify_video_passes_a_good_video(ready_video):
    out, _ = _call("verify_video", str(ready_video.pk))
    assert f"Video {ready_video.pk} OK: 1 segments" in out


def test_verify_video_finds_a_missing_segment(ready_video):
    name = ready_video.storage_prefix + "180p/seg_00000.ts"
    storages["private"].delete(name)
    with pytest.raises(CommandError, match="1 problem"):
        _call("verify_video", str(ready_video.pk))


def test_verify_video_finds_a_segment_that_does_not_decrypt(ready_video):
    from django.core.files.base import ContentFile

    name = ready_video.storage_prefix + "180p/seg_00000.ts"
    storage = storages["private"]
    data = bytearray(storage.open(name).read())
    # In CBC a flipped ciphertext byte flips the same byte one block later in the
    # plaintext: 172 + 16 = 188, the second packet's sync byte, which is then never 0x47.
    data[172] ^= 0xFF
    storage.delete(name)
    storage.save(name, ContentFile(bytes(data)))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_video", str(ready_video.pk), stdout=StringIO(), stderr=err)
    assert "seg_00000.ts" in err.getvalue()


def test_verify_video_refuses_an_unknown_id(db):
    with pytest.raises(CommandError, match="No video 999"):
        _call("verify_video", "999")


def test_rotate_media_master_key_rewraps_every_key_once(settings, db):
    old, new = os.urandom(32), os.urandom(32)
    spec = f"old:{base64.b64encode(old).decode()},new:{base64.b64encode(new).decode()}"
    settings.MEDIA_MASTER_KEYS, settings.MEDIA_MASTER_KEY_ID = spec, "old"
    raws = []
    for n in range(3):
        video = Video(title=f"v{n}")
        raw = keys.new_content_key()
        video.set_content_key(raw)
        video.save()
        raws.append((video.pk, raw))
    Video.objects.create(title="no key yet")
    settings.MEDIA_MASTER_KEY_ID = "new"

    out, _ = _call("rotate_media_master_key", "--dry-run")
    assert "would re-wrap 3, already current 0, failed 0" in out
    assert set(Video.objects.exclude(wrapped_key=None).values_list("master_key_id", flat=True)) == {"old"}

    out, _ = _call("rotate_media_master_key")
    assert "re-wrapped 3, already current 0, failed 0" in out
    out, _ = _call("rotate_media_master_key")
    assert "re-wrapped 0, already current 3, failed 0" in out

    settings.MEDIA_MASTER_KEYS = f"new:{base64.b64encode(new).decode()}"  # the old key is retired
    for pk, raw in raws:
        video = Video.objects.get(pk=pk)
        assert video.master_key_id == "new" and video.content_key() == raw


def test_rotate_media_master_key_reports_keys_it_cannot_open(settings, db):
    video = Video(title="orphan")
    video.set_content_key(keys.new_content_key())
    video.master_key_id = "lost"
    video.save()
    with pytest.raises(CommandError, match="1 key"):
        _call("rotate_media_master_key")


def test_rotate_media_master_key_rewraps_every_renditions_own_key(settings, db):
    old, new = os.urandom(32), os.urandom(32)
    spec = f"old:{base64.b64encode(old).decode()},new:{base64.b64encode(new).decode()}"
    settings.MEDIA_MASTER_KEYS, settings.MEDIA_MASTER_KEY_ID = spec, "old"
    raws = {height: keys.new_content_key() for height in (360, 720, 1080)}
    video = Video.objects.create(
        title="ladder",
        storage_prefix="video/x/build/",
        renditions=[
            {"height": h, "playlist": f"{h}p/index.m3u8", "key": keys.rendition_key_entry(raw)}
            for h, raw in raws.items()
        ],
    )
    settings.MEDIA_MASTER_KEY_ID = "new"

    out, _ = _call("rotate_media_master_key")
    assert "re-wrapped 3, already current 0, failed 0" in out
    out, _ = _call("rotate_media_master_key")
    assert "re-wrapped 0, already current 3, failed 0" in out

    settings.MEDIA_MASTER_KEYS = f"new:{base64.b64encode(new).decode()}"  # the old key is retired
    video = Video.objects.get(pk=video.pk)
    assert {r["key"]["master_key_id"] for r in video.renditions} == {"new"}
    assert {r["height"]: video.rendition_key(r) for r in video.renditions} == raws


def test_repackage_single_key_videos_gives_each_rendition_its_own_key(clips, private_root):
    """The migration path for videos packaged when every rendition shared one key."""
    from media_pipeline.verify import verify

    video = packaging.package(video_from(clips["h264"]).pk)
    single = keys.new_content_key()
    video.set_content_key(single)
    video.renditions = [{k: v for k, v in r.items() if k != "key"} for r in video.renditions]
    video.save()

    out, _ = _call("repackage_single_key_videos", "--dry-run")
    assert "would package again 1, skipped 0, failed 0" in out
    out, _ = _call("repackage_single_key_videos")
    assert "packaged again 1, skipped 0, failed 0" in out

    video = Video.objects.get(pk=video.pk)
    assert video.status == VideoStatus.READY and video.wrapped_key is None
    assert all(r.get("key") for r in video.renditions)
    assert all(video.rendition_key(r) != single for r in video.renditions)
    assert verify(video).ok
    out, _ = _call("repackage_single_key_videos")
    assert "packaged again 0" in out
