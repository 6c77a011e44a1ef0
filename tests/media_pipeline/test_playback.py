"""Playback: an entitled learner gets playlists, segments and the key; nobody else does."""

import json
import re
import time
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.core.files.storage import storages
from django.test import Client
from django.utils import timezone

import pytest
from Crypto.Cipher import AES

from media_pipeline import playback, signing
from media_pipeline.models import KeyAccess, VideoStatus
from media_pipeline.signals import playback_started
from memberships.models import PlaybackSession

from .playback_support import CAPTION_TEXT, content_key, lesson_with_video, rendition_key_of

pytestmark = pytest.mark.django_db

DEVICE = "device-aaaaaaaa"


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def play(client, lesson, device=DEVICE, **extra):
    return client.post(
        f"/video/play/{lesson.pk}/",
        data=json.dumps({"device": device, **extra}),
        content_type="application/json",
    )


def started(client, lesson, device=DEVICE):
    response = play(client, lesson, device)
    assert response.status_code == 200, response.content
    return response.json()


def get_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.content.decode()


def media_url(master_url, height):
    return master_url.replace("master.m3u8", f"{height}p.m3u8")


def key_url_of(playlist_text):
    return re.search(r'URI="([^"]+)"', playlist_text).group(1)


def tampered(signature):
    """The signature with its first character changed (never equal to the original)."""
    return ("B" if signature[0] == "A" else "A") + signature[1:]


def segment_urls(playlist_text):
    return [line for line in playlist_text.splitlines() if line and not line.startswith("#")]


@pytest.fixture
def free_lesson(catalog):
    return lesson_with_video(catalog, heights=(360, 720, 1080))


@pytest.fixture
def gold_lesson(catalog, tiers):
    return lesson_with_video(catalog, tier=tiers["gold"], heights=(360, 720, 1080))


# -- the happy path -------------------------------------------------------------------------


def test_entitled_learner_gets_playlists_segments_and_the_key_and_segments_decrypt(gold, gold_lesson):
    client = client_for(gold)
    data = started(client, gold_lesson)
    assert data["watermark"] == f"gold@example.test · #{gold.pk}"
    assert data["max_height"] == 1080

    master = get_text(client, data["master_url"])
    assert master.startswith("#EXTM3U")
    assert [int(h) for h in re.findall(r"^(\d+)p\.m3u8$", master, re.M)] == [360, 720, 1080]
    assert '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=YES' in master

    media = get_text(client, media_url(data["master_url"], 720))
    assert "#EXT-X-ENDLIST" in media
    segments = segment_urls(media)
    assert len(segments) >= 2  # 12 s in 6 s segments
    assert all(s.startswith("/video/f/") and s.endswith(".ts") for s in segments)

    key_response = client.get(key_url_of(media))
    assert key_response.status_code == 200
    assert key_response["Content-Type"] == "application/octet-stream"
    assert "no-store" in key_response["Cache-Control"]
    assert key_response.content == rendition_key_of(gold_lesson.video, 720)
    access = KeyAccess.objects.get()
    assert access.allowed and access.user == gold and access.playback_session_id is not None

    segment = b"".join(Client().get(segments[0]).streaming_content)  # no cookie needed
    assert segment[0] != 0x47  # encrypted: not an MPEG-TS sync byte
    iv = bytes.fromhex(re.search(r"IV=0x([0-9a-f]{32})", media, re.I).group(1))
    plain = AES.new(key_response.content, AES.MODE_CBC, iv=iv).decrypt(segment)
    assert plain[0] == 0x47 and plain[188] == 0x47


def test_every_playback_answer_is_private_and_not_stored(gold, gold_lesson):
    client = client_for(gold)
    response = play(client, gold_lesson)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    data = response.json()
    for url in (data["master_url"], media_url(data["master_url"], 360), data["storyboard_url"]):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control


def test_playback_start_opens_a_session_and_says_so(gold, gold_lesson):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    playback_started.connect(receiver)
    try:
        started(client_for(gold), gold_lesson)
    finally:
        playback_started.disconnect(receiver)
    session = PlaybackSession.objects.get(user=gold)
    assert session.device_id == DEVICE and session.ended_at is None
    assert received[0]["playback_session"] == session
    assert received[0]["lesson"].pk == gold_lesson.pk and received[0]["video"] == gold_lesson.video


def test_captions_are_a_gated_webvtt_track_mapped_to_the_segment_timestamps(gold, gold_lesson):
    client = client_for(gold)
    data = started(client, gold_lesson)
    base = data["master_url"].rsplit("/", 1)[0]
    caption_playlist = get_text(client, f"{base}/captions/en.m3u8")
    assert "#EXT-X-ENDLIST" in caption_playlist and "en.vtt" in caption_playlist
    vtt = get_text(client, f"{base}/captions/en.vtt")
    assert vtt.startswith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:")
    pts = int(re.search(r"MPEGTS:(\d+)", vtt).group(1))
    assert 0 < pts < 90000 * 5  # ffmpeg's MPEG-TS starts a little after 0
    assert CAPTION_TEXT in vtt
    assert data["captions"] == [
        {"language": "en", "label": "English", "default": True, "url": f"{base}/captions/en.vtt"}
    ]
    assert Client().get(f"{base}/captions/en.vtt").status_code == 401


def test_storyboard_points_at_a_signed_sprite_and_the_poster_is_signed(gold, gold_lesson):
    client = client_for(gold)
    data = started(client, gold_lesson)
    vtt = get_text(client, data["storyboard_url"])
    sprite_urls = set(re.findall(r"^(\S+)#xywh=", vtt, re.M))
    assert len(sprite_urls) == 1
    sprite = Client().get(sprite_urls.pop())
    assert sprite.status_code == 200 and sprite["Content-Type"] == "image/jpeg"
    poster = Client().get(data["poster_url"])
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"


# -- refusals: who -------------------------------------------------------------------------


def test_visitor_is_asked_to_log_in(gold_lesson):
    response = play(Client(), gold_lesson)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "login_required"
    assert response.json()["error"]["login_url"].startswith("/accounts/login/")


def test_bronze_learner_on_a_gold_lesson_is_told_which_tiers_open_it(bronze, gold_lesson):
    response = play(client_for(bronze), gold_lesson)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "tier_too_low"
    assert "Gold" in error["message"] and "Bronze" in error["message"]
    assert [t["slug"] for t in error["tiers"]] == ["gold"]
    assert error["upgrade_url"] == "/membership/?tier=gold"
    assert not PlaybackSession.objects.filter(user=bronze).exists()


def test_lapsed_member_is_told_their_membership_ended(lapsed, gold_lesson):
    response = play(client_for(lapsed), gold_lesson)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "subscription_lapsed"
    assert "Gold membership ended on" in error["message"]


def test_a_video_still_being_packaged_is_not_ready(gold, gold_lesson):
    video = gold_lesson.video
    video.renditions = []
    video.save()
    response = play(client_for(gold), gold_lesson)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_ready"


def test_a_player_without_a_device_id_gets_a_clear_error(gold, gold_lesson):
    response = play(client_for(gold), gold_lesson, device="no")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


# -- refusals: every protected thing, for another user, an expired and a forged token ----------


def _protected_urls(client, lesson):
    data = started(client, lesson)
    media = get_text(client, media_url(data["master_url"], 360))
    base = data["master_url"].rsplit("/", 1)[0]
    return {
        "master": data["master_url"],
        "media": media_url(data["master_url"], 360),
        "captions": f"{base}/captions/en.m3u8",
        "caption file": f"{base}/captions/en.vtt",
        "storyboard": data["storyboard_url"],
        "key": key_url_of(media),
    }


def test_another_learners_urls_are_refused_and_the_key_refusal_is_logged(gold, silver, gold_lesson):
    urls = _protected_urls(client_for(gold), gold_lesson)
    thief = client_for(silver)
    for what, url in urls.items():
        response = thief.get(url)
        assert response.status_code in (401, 403), what
        assert response.json()["error"]["code"] in ("wrong_user", "tier_too_low"), what
    refused = KeyAccess.objects.get(allowed=False)
    assert refused.user == silver and refused.reason == "wrong_user"


def test_unentitled_learner_is_refused_every_protected_url(gold, bronze, gold_lesson):
    urls = _protected_urls(client_for(gold), gold_lesson)
    for what, url in urls.items():
        assert client_for(bronze).get(url).status_code == 403, what
        assert Client().get(url).status_code == 401, what


def test_forged_tokens_are_refused_everywhere(gold, gold_lesson):
    client = client_for(gold)
    urls = _protected_urls(client, gold_lesson)
    for what, url in urls.items():
        # Playlist tokens carry five numbers; key tokens six (their rendition too).
        token = re.search(r"/(\d+(?:\.\d+){4,5}\.[A-Za-z0-9_-]+)/", url).group(1)
        payload, sig = token.rsplit(".", 1)
        forged = [
            url.replace(token, f"{payload}.{tampered(sig)}"),  # tampered signature
            url.replace(token, payload.replace(str(gold_lesson.video.pk), "999", 1) + "." + sig),
            url.replace(token, "1.2.3.4.99999999999." + sig),
        ]
        for bad in forged:
            response = client.get(bad)
            assert response.status_code in (403, 404), (what, bad)
    assert not KeyAccess.objects.filter(allowed=True).exists()


def test_a_key_token_cannot_be_used_as_a_playlist_token_and_back(gold, gold_lesson):
    client = client_for(gold)
    urls = _protected_urls(client, gold_lesson)
    key_token = urls["key"].split("/")[3]
    playlist_token = urls["master"].split("/")[3]
    assert client.get(f"/video/hls/{key_token}/master.m3u8").status_code == 403
    assert client.get(f"/video/key/{playlist_token}/").status_code == 403


def test_expired_tokens_are_refused_everywhere(gold, gold_lesson):
    client = client_for(gold)
    urls = _protected_urls(client, gold_lesson)
    later = time.time() + 4 * 3600 + 600
    with mock.patch("media_pipeline.playback.time.time", return_value=later):
        for what, url in urls.items():
            response = client.get(url)
            assert response.status_code == 403, what
            assert response.json()["error"]["code"] == "expired", what
    assert KeyAccess.objects.filter(allowed=False, reason="expired").count() == 1


def test_the_key_is_refused_once_the_subscription_lapses(gold, gold_lesson):
    client = client_for(gold)
    urls = _protected_urls(client, gold_lesson)
    gold.subscriptions.update(ends_at=timezone.now() - timedelta(minutes=1))
    response = client.get(urls["key"])
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "subscription_lapsed"
    assert KeyAccess.objects.filter(allowed=False, reason="subscription_lapsed").exists()


# -- the tier's height cap ----------------------------------------------------------------------


def test_bronze_master_playlist_stops_at_720p_and_1080p_is_refused_by_url(bronze, gold, free_lesson):
    bronze_client = client_for(bronze)
    data = started(bronze_client, free_lesson)
    assert data["max_height"] == 720
    master = get_text(bronze_client, data["master_url"])
    assert re.findall(r"^(\d+)p\.m3u8$", master, re.M) == ["360", "720"]
    assert "RESOLUTION=1920x1080" not in master
    response = bronze_client.get(media_url(data["master_url"], 1080))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "quality_not_in_plan"
    assert bronze_client.get(media_url(data["master_url"], 720)).status_code == 200
    assert bronze_client.get(media_url(data["master_url"], 480)).status_code == 404

    gold_data = started(client_for(gold), free_lesson)
    assert client_for(gold).get(media_url(gold_data["master_url"], 1080)).status_code == 200


def test_a_1080p_first_rendition_is_never_served_to_bronze_while_the_ladder_encodes(
    bronze, gold, free_lesson
):
    """A 1080p H.264 upload is first stream-copied at 1080p; until the ladder adds 720p
    and 360p, Bronze is told to come back, and Gold already watches."""
    video = free_lesson.video
    bronze_client = client_for(bronze)
    bronze_data = started(bronze_client, free_lesson)  # while the ladder was complete
    video.status = VideoStatus.PROCESSING
    video.renditions = [r for r in video.renditions if r["height"] == 1080]
    video.save()

    response = play(bronze_client, free_lesson)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_ready_for_plan"
    assert "up to 720p" in response.json()["error"]["message"]
    refused = bronze_client.get(bronze_data["master_url"])
    assert refused.status_code == 409
    assert bronze_client.get(media_url(bronze_data["master_url"], 1080)).status_code == 403

    gold_client = client_for(gold)
    gold_master = get_text(gold_client, started(gold_client, free_lesson)["master_url"])
    assert re.findall(r"^(\d+)p\.m3u8$", gold_master, re.M) == ["1080"]


# -- signed files --------------------------------------------------------------------------------


def test_an_expired_segment_url_is_refused(gold, gold_lesson):
    client = client_for(gold)
    data = started(client, gold_lesson)
    segment = segment_urls(get_text(client, media_url(data["master_url"], 360)))[0]
    assert Client().get(segment).status_code == 200
    with mock.patch("media_pipeline.signing.time.time", return_value=time.time() + 3 * 3600):
        response = Client().get(segment)
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "expired"


def test_a_forged_or_retargeted_segment_url_is_refused(gold, gold_lesson):
    client = client_for(gold)
    data = started(client, gold_lesson)
    segment = segment_urls(get_text(client, media_url(data["master_url"], 360)))[0]
    _, _, _, expires, sig, *rest = segment.split("/")
    name = "/".join(rest)
    later = str(int(expires) + 3600)
    for bad in (
        f"/video/f/{expires}/{tampered(sig)}/{name}",  # tampered signature
        f"/video/f/{later}/{sig}/{name}",  # extended expiry
        f"/video/f/{expires}/{sig}/{name.replace('seg_00000', 'seg_00001')}",  # other file
    ):
        assert Client().get(bad).status_code == 403, bad


def test_segment_urls_are_stable_within_a_window_and_signing_checks_the_name():
    expires = signing.expiry_in(600, now=1_000_000)
    assert expires % 300 == 0 and expires >= 1_000_600
    name = "video/abc/build/360p/seg_00000.ts"
    sig = signing.file_signature(name, expires)
    assert signing.check_file_signature(name, str(expires), sig, now=1_000_000) == ""
    assert signing.check_file_signature(name, str(expires), sig, now=expires + 1) == "expired"
    assert signing.check_file_signature("video-sources/abc/x.ts", str(expires), sig, now=0) == "forged"
    assert signing.check_file_signature("video/../secret.ts", str(expires), sig, now=0) == "forged"


def test_raw_storage_paths_of_output_keys_and_sources_are_never_served(gold, gold_lesson, settings):
    from django.core.files.base import ContentFile

    video = gold_lesson.video
    storage = storages["private"]
    source = storage.save(f"video-sources/{video.public_id}/lecture.mp4", ContentFile(b"source bytes"))
    output = video.storage_prefix + "360p/seg_00000.ts"
    playlist = video.storage_prefix + "360p/index.m3u8"
    caption = video.captions.get().file.name
    anyone = client_for(gold)
    for name in (source, output, playlist, caption, video.poster):
        for url in (
            storage.url(name),
            f"{settings.MEDIA_URL}{name}",
            f"/{name}",
            f"/video/{name}",
            f"/video/f/{name}",
            f"/static/{name}",
            f"/protected/{name}",
            f"/hls/{name.removeprefix('video/')}",
        ):
            response = anyone.get(url)
            assert response.status_code in (403, 404), url
            assert b"source bytes" not in response.content
    # A signed URL can only ever name packaged output or captions: never a source.
    expires = signing.expiry_in(600)
    source_sig = signing.file_signature(source, expires)
    assert Client().get(f"/video/f/{expires}/{source_sig}/{source}").status_code == 403
    # The keys exist only wrapped; their raw bytes are in no file under private storage.
    raw_keys = [content_key(), *(rendition_key_of(video, r["height"]) for r in video.renditions)]
    for root, _dirs, files in __import__("os").walk(storage.location):
        for file_name in files:
            with open(f"{root}/{file_name}", "rb") as fh:
                data = fh.read()
                assert not any(key in data for key in raw_keys), file_name


# -- devices --------------------------------------------------------------------------------------


def test_device_limit_moves_playback_and_the_old_device_is_refused_the_key(bronze, free_lesson):
    client = client_for(bronze)  # Bronze: one device at a time
    first = started(client, free_lesson, device="phone-11111111")
    first_key = key_url_of(get_text(client, media_url(first["master_url"], 360)))
    second = started(client_for(bronze), free_lesson, device="laptop-22222222")
    assert "1 device(s)" in second["device_message"]

    response = client.get(first_key)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "device_limit"
    assert KeyAccess.objects.filter(allowed=False, reason="device_limit").exists()

    # The old device's automatic refresh does not take playback back ...
    refreshed = play(client, free_lesson, device="phone-11111111", refresh=True)
    assert refreshed.status_code == 409 and refreshed.json()["error"]["code"] == "device_limit"
    assert (
        PlaybackSession.objects.filter(user=bronze, ended_at__isnull=True).get().device_id
        == "laptop-22222222"
    )
    # ... but pressing "Watch here" does.
    assert play(client, free_lesson, device="phone-11111111").status_code == 200


def test_a_refresh_after_a_long_pause_keeps_playing(gold, gold_lesson):
    client = client_for(gold)
    started(client, gold_lesson)
    PlaybackSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=40))
    response = play(client, gold_lesson, refresh=True)
    assert response.status_code == 200
    data = response.json()
    media = get_text(client, media_url(data["master_url"], 360))
    assert client.get(key_url_of(media)).content == rendition_key_of(gold_lesson.video, 360)


def test_key_requests_are_rate_limited(gold, gold_lesson, settings):
    cache.clear()  # no count left over from an earlier test's requests in this minute
    settings.PLAYBACK_KEY_RATE = "3/m"
    client = client_for(gold)
    key = _protected_urls(client, gold_lesson)["key"]
    codes = [client.get(key).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


# -- rewriting ---------------------------------------------------------------------------------------


def test_rewriting_keeps_the_playlist_structure_and_substitutes_the_key_uri():
    text = (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n"
        "#EXT-X-PLAYLIST-TYPE:VOD\n"
        '#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x000102030405060708090a0b0c0d0e0f\n'
        + "".join(f"#EXTINF:6.000000,\nseg_{i:05d}.ts\n" for i in range(1200))
        + "#EXT-X-ENDLIST\n"
    )
    parsed = playback.parse_media_playlist(text, "video/x/b/720p/")
    assert len(parsed.names) == 1200 and parsed.duration == pytest.approx(7200)
    assert parsed.iv == "000102030405060708090a0b0c0d0e0f"
    out = playback.render_media_playlist(parsed, "/video/key/TOKEN/", signing.expiry_in(600))
    assert out.count("/video/f/") == 1200
    assert '#EXT-X-KEY:METHOD=AES-128,URI="/video/key/TOKEN/",IV=0x000102030405060708090a0b0c0d0e0f' in out
    assert out.endswith("#EXT-X-ENDLIST\n")
    again = playback.render_media_playlist(parsed, "/video/key/OTHER/", signing.expiry_in(600))
    assert again == out.replace("/video/key/TOKEN/", "/video/key/OTHER/")


def test_a_playlist_with_unexpected_segment_uris_is_not_rewritten():
    with pytest.raises(ValueError):
        playback.parse_media_playlist("#EXTM3U\n#EXTINF:6,\n../../other/seg.ts\n", "video/x/")
    with pytest.raises(ValueError):
        playback.parse_media_playlist("#EXTM3U\n#EXTINF:6,\nhttps://evil.example/seg.ts\n", "video/x/")


# -- sequential unlock -------------------------------------------------------------------------


@pytest.fixture
def two_video_lessons(catalog):
    from tests.factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

    from .playback_support import make_video

    course = CoursePageFactory(parent=catalog, title="In order", is_sequential=False)
    module = ModulePageFactory(parent=course)
    first = LessonPageFactory(parent=module, title="First steps", video=make_video("One"))
    second = LessonPageFactory(parent=module, title="Second steps", video=make_video("Two"))
    return course, first, second


def test_a_locked_lesson_gets_no_playlist_and_says_which_lesson_opens_it(learner, two_video_lessons):
    course, first, second = two_video_lessons
    course.is_sequential = True
    course.save_revision().publish()
    client = client_for(learner)
    response = play(client, second)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "locked"
    assert "opens once you finish “First steps”" in error["message"]
    assert not PlaybackSession.objects.filter(user=learner).exists()

    from learning.progress import complete_lesson

    complete_lesson(learner, first)
    assert play(client, second).status_code == 200


def test_a_course_made_sequential_mid_lesson_stops_the_key_and_playlists(learner, two_video_lessons):
    """An editor turns sequential unlock on while a learner plays lesson two out of
    order: the very next key and playlist requests are refused, not the next page load."""
    course, first, second = two_video_lessons
    client = client_for(learner)
    urls = _protected_urls(client, second)
    assert client.get(urls["key"]).status_code == 200

    course.is_sequential = True
    course.save_revision().publish()

    for what in ("key", "master", "media"):
        response = client.get(urls[what])
        assert response.status_code == 403, what
        assert response.json()["error"]["code"] == "locked", what
    assert KeyAccess.objects.filter(allowed=False, reason="locked").exists()
