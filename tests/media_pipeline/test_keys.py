"""Content keys are stored only wrapped, and the master key can rotate."""

import base64
import os

from django.core.exceptions import ImproperlyConfigured

import pytest

from media_pipeline import keys
from media_pipeline.models import Video


def _spec(**named: bytes) -> str:
    return ",".join(f"{key_id}:{base64.b64encode(raw).decode()}" for key_id, raw in named.items())


def test_wrapped_key_opens_back_to_the_raw_key_and_never_contains_it():
    raw = keys.new_content_key()
    wrapped, key_id = keys.wrap_key(raw)
    assert key_id == "dev"
    assert raw not in wrapped
    assert keys.unwrap_key(wrapped, key_id) == raw


def test_each_wrap_uses_a_fresh_nonce():
    raw = keys.new_content_key()
    assert keys.wrap_key(raw)[0] != keys.wrap_key(raw)[0]


def test_tampered_wrapped_key_is_refused():
    wrapped, key_id = keys.wrap_key(keys.new_content_key())
    forged = wrapped[:-1] + bytes([wrapped[-1] ^ 1])
    with pytest.raises(keys.KeyUnwrapError):
        keys.unwrap_key(forged, key_id)


def test_wrapped_key_cannot_be_relabelled_with_another_master_key_id(settings):
    a, b = os.urandom(32), os.urandom(32)
    settings.MEDIA_MASTER_KEYS = _spec(a=a, b=b)
    settings.MEDIA_MASTER_KEY_ID = "a"
    wrapped, _ = keys.wrap_key(keys.new_content_key())
    with pytest.raises(keys.KeyUnwrapError):
        keys.unwrap_key(wrapped, "b")


def test_unknown_master_key_id_is_refused():
    wrapped, _ = keys.wrap_key(keys.new_content_key())
    with pytest.raises(keys.KeyUnwrapError):
        keys.unwrap_key(wrapped, "gone")


def test_content_key_of_a_video_round_trips_through_the_database(db):
    raw = keys.new_content_key()
    video = Video(title="Intro")
    video.set_content_key(raw)
    video.save()
    stored = Video.objects.get(pk=video.pk)
    assert bytes(stored.wrapped_key) != raw
    assert stored.content_key() == raw


def test_a_kept_video_gives_its_new_key_once_the_key_changes(db):
    """The playback gate keeps Video instances between key requests, and each keeps its
    unwrapped key; a new key on the same instance must never be answered with the old."""
    first, second = keys.new_content_key(), keys.new_content_key()
    video = Video(title="Intro")
    video.set_content_key(first)
    assert video.content_key() == first == video.content_key()
    video.set_content_key(second)
    assert video.content_key() == second
    video.wrapped_key = video.wrapped_key[:-1] + bytes([video.wrapped_key[-1] ^ 1])
    with pytest.raises(keys.KeyUnwrapError):
        video.content_key()


def test_video_without_a_key_says_so(db):
    with pytest.raises(ValueError):
        Video.objects.create(title="Empty").content_key()


def test_rewrap_moves_a_key_to_the_current_master_key(settings):
    old, new = os.urandom(32), os.urandom(32)
    settings.MEDIA_MASTER_KEYS = _spec(old=old, new=new)
    settings.MEDIA_MASTER_KEY_ID = "old"
    raw = keys.new_content_key()
    wrapped, key_id = keys.wrap_key(raw)
    settings.MEDIA_MASTER_KEY_ID = "new"
    rewrapped, new_id, changed = keys.rewrap_key(wrapped, key_id)
    assert (new_id, changed) == ("new", True)
    assert keys.unwrap_key(rewrapped, new_id) == raw
    assert keys.rewrap_key(rewrapped, new_id)[2] is False


@pytest.mark.parametrize(
    "spec, current",
    [
        ("", ""),
        ("a:not-base64!!", "a"),
        (f"a:{base64.b64encode(b'short').decode()}", "a"),
        (_spec(a=b"x" * 32), "b"),
        (_spec(a=b"x" * 32) + "," + _spec(a=b"y" * 32), "a"),
    ],
)
def test_missing_or_malformed_master_keys_fail_loudly(settings, spec, current):
    settings.MEDIA_MASTER_KEYS = spec
    settings.MEDIA_MASTER_KEY_ID = current
    with pytest.raises(ImproperlyConfigured):
        keys.wrap_key(keys.new_content_key())
