"""The tier's quality cap held by encryption: each rendition has its own content key, the
key URI of each media playlist names its rendition, and the key endpoint refuses a
rendition above the viewer's tier, as the playlist view does.

Without that, a Bronze learner's own (720p) key decrypted 1080p segments fetched from a
Gold learner's playlist: segment URLs are signed but not bound to a viewer."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest
from Crypto.Cipher import AES

from media_pipeline import gate, playback
from media_pipeline.models import KeyAccess
from media_pipeline.verify import decrypt_segment, is_mpeg_ts

from .playback_support import content_key, lesson_with_video, make_video, rendition_key_of
from .test_playback import client_for, get_text, key_url_of, media_url, segment_urls, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def free_lesson(catalog):
    """Open to every member: what tells Bronze and Gold apart is only the height cap."""
    return lesson_with_video(catalog, heights=(360, 720, 1080))


def _media(client, data, height):
    return get_text(client, media_url(data["master_url"], height))


def _first_segment_and_iv(media_text):
    segment = b"".join(Client().get(segment_urls(media_text)[0]).streaming_content)  # no cookie
    iv = re.search(r"IV=0x([0-9a-f]{32})", media_text, re.I).group(1)
    return segment, iv


def _opens(segment: bytes, key: bytes, iv: str) -> bool:
    """Decrypts to MPEG-TS (0x47 every 188 bytes), as verify.py checks."""
    try:
        return is_mpeg_ts(decrypt_segment(segment, key, iv))
    except ValueError:  # not even the padding checks out
        return False


def _bronze_key_token(bronze, data, lesson, height):
    """A key token for Bronze naming `height`, as the media playlist view signs them."""
    ids = data["master_url"].split("/")[3].split(".")
    return playback.make_token(
        "key",
        user_id=bronze.pk,
        session_id=int(ids[1]),
        video_id=lesson.video_id,
        lesson_id=lesson.pk,
        rendition=height,
        ttl=600,
    )


def test_each_media_playlist_names_its_own_rendition_in_the_key_uri(gold, free_lesson):
    client = client_for(gold)
    data = started(client, free_lesson)
    uris = {height: key_url_of(_media(client, data, height)) for height in (360, 720, 1080)}
    assert len(set(uris.values())) == 3
    for height, uri in uris.items():
        token = playback.read_token("key", uri.split("/")[3])
        assert token.rendition == height
        assert client.get(uri).content == rendition_key_of(free_lesson.video, height)
    keys = {rendition_key_of(free_lesson.video, h) for h in (360, 720, 1080)}
    assert len(keys) == 3


def test_bronze_is_refused_the_1080p_key_and_the_refusal_is_logged(bronze, free_lesson):
    client = client_for(bronze)
    data = started(client, free_lesson)
    key_url = f"/video/key/{_bronze_key_token(bronze, data, free_lesson, 1080)}/"

    response = client.get(key_url)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "quality_not_in_plan"
    assert response.content != rendition_key_of(free_lesson.video, 1080)
    refused = KeyAccess.objects.get()
    assert (refused.allowed, refused.reason, refused.user) == (False, "quality_not_in_plan", bronze)
    # Bronze's own 720p key is still given.
    assert client.get(key_url_of(_media(client, data, 720))).status_code == 200


def test_bronzes_720p_key_does_not_decrypt_1080p_segments_from_a_gold_playlist(bronze, gold, free_lesson):
    bronze_client = client_for(bronze)
    bronze_data = started(bronze_client, free_lesson)
    bronze_720 = _media(bronze_client, bronze_data, 720)
    bronze_key = bronze_client.get(key_url_of(bronze_720)).content
    own_segment, own_iv = _first_segment_and_iv(bronze_720)
    assert _opens(own_segment, bronze_key, own_iv)

    gold_client = client_for(gold)
    gold_1080 = _media(gold_client, started(gold_client, free_lesson, device="gold-device-1"), 1080)
    segment, iv = _first_segment_and_iv(gold_1080)  # a segment URL a Gold learner shared

    assert not _opens(segment, bronze_key, iv)
    gold_key = gold_client.get(key_url_of(gold_1080)).content
    assert gold_key == rendition_key_of(free_lesson.video, 1080)
    assert _opens(segment, gold_key, iv)


def test_gold_gets_the_1080p_key_and_it_decrypts_the_1080p_segments(gold, free_lesson):
    client = client_for(gold)
    media = _media(client, started(client, free_lesson), 1080)
    response = client.get(key_url_of(media))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    segment, iv = _first_segment_and_iv(media)
    plain = AES.new(response.content, AES.MODE_CBC, iv=bytes.fromhex(iv)).decrypt(segment)
    assert plain[0] == 0x47 and plain[188] == 0x47
    assert KeyAccess.objects.get().allowed


def test_a_key_url_kept_from_a_higher_plan_is_refused_after_the_downgrade(gold, free_lesson):
    """Gold loaded the 1080p playlist; once Gold ends (the free tier stops at 720p), its
    still-valid key token is refused at the key endpoint itself, not only at the next
    playlist."""
    client = client_for(gold)
    key_url = key_url_of(_media(client, started(client, free_lesson), 1080))
    gold.subscriptions.update(ends_at=timezone.now() - timedelta(seconds=1))

    response = client.get(key_url)

    assert response.status_code == 403 and response.json()["error"]["code"] == "quality_not_in_plan"


def test_a_key_token_retargeted_at_another_rendition_is_forged(bronze, free_lesson):
    client = client_for(bronze)
    data = started(client, free_lesson)
    key_url = key_url_of(_media(client, data, 720))
    token = key_url.split("/")[3]
    fields = token.split(".")
    fields[4] = "1080"  # the rendition the token names
    response = client.get(key_url.replace(token, ".".join(fields)))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forged"


def test_forged_and_expired_rendition_key_tokens_are_refused(gold, free_lesson):
    client = client_for(gold)
    key_url = key_url_of(_media(client, started(client, free_lesson), 1080))
    token = key_url.split("/")[3]
    payload, signature = token.rsplit(".", 1)
    forged = key_url.replace(token, f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}")
    assert client.get(forged).json()["error"]["code"] == "forged"
    expired = playback.read_token("key", token)
    later = expired.expires + 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("media_pipeline.playback.time.time", lambda: later)
        response = client.get(key_url)
    assert response.status_code == 403 and response.json()["error"]["code"] == "expired"
    assert not KeyAccess.objects.filter(allowed=True).exists()


def test_a_video_packaged_with_one_key_keeps_playing_and_the_cap_still_holds(bronze, gold, catalog):
    """Videos packaged before per-rendition keys: their one key is every rendition's."""
    lesson = lesson_with_video(catalog, video=make_video(heights=(360, 720, 1080), single_key=True))
    gold_client = client_for(gold)
    media = _media(gold_client, started(gold_client, lesson), 1080)
    key = gold_client.get(key_url_of(media)).content
    assert key == content_key()
    segment, iv = _first_segment_and_iv(media)
    assert _opens(segment, key, iv)

    bronze_client = client_for(bronze)
    data = started(bronze_client, lesson, device="bronze-device-1")
    assert bronze_client.get(key_url_of(_media(bronze_client, data, 720))).content == content_key()
    refused = bronze_client.get(f"/video/key/{_bronze_key_token(bronze, data, lesson, 1080)}/")
    assert refused.status_code == 403


def test_the_kept_lesson_keeps_each_renditions_unwrapped_key(settings, gold, free_lesson, monkeypatch):
    """The workers' lesson cache (gate.py) unwraps each rendition's key once, and gives
    each rendition its own."""
    from media_pipeline import models

    settings.PLAYBACK_GATE_CACHE = True
    gate._lessons.clear()
    expected = {h: rendition_key_of(free_lesson.video, h) for h in (360, 1080)}
    unwrapped = []
    real = models.unwrap_rendition_key
    monkeypatch.setattr(models, "unwrap_rendition_key", lambda entry: unwrapped.append(1) or real(entry))
    client = client_for(gold)
    data = started(client, free_lesson)
    urls = {h: key_url_of(_media(client, data, h)) for h in (360, 1080)}
    for _round in range(3):
        for height, url in urls.items():
            assert client.get(url).content == expected[height]
    assert len(unwrapped) == 2
