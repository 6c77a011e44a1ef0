"""An entitled learner's lesson plays in Debian's chromium, through hls.js and through the
browser's own HLS, with captions and the watermark; refused viewers see why in the video
area, and the key endpoint refuses them."""

import os
import re
import tempfile

from django.test import Client

import pytest
from playwright.sync_api import expect

from ..media_pipeline.playback_support import CAPTION_TEXT, lesson_with_video
from .playwright_fixtures import browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = os.path.join(tempfile.gettempdir(), "media-playback-shots")


def _log_in(page, base, user):
    """Log the browser in as `user` (a session made server-side, as the login form would)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


def _open_lesson(page, base, lesson, engine=None):
    if engine:
        page.add_init_script(f"window.LECTERN_PLAYER_ENGINE = {engine!r};")
    response = page.goto(base + lesson.url)
    assert response.status == 200
    return response


def _press_play_and_wait(page, seconds=3.2):
    page.get_by_role("button", name="Play video").click()
    page.wait_for_function(
        f"() => {{ const v = document.querySelector('.player__video');"
        f" return v && v.currentTime > {seconds} && v.videoWidth > 0; }}",
        timeout=40_000,
    )


def _showing_cues(page):
    return page.evaluate(
        """() => {
            const v = document.querySelector('.player__video');
            for (const t of v.textTracks) {
                if (t.mode === 'showing' && t.activeCues && t.activeCues.length) {
                    return Array.from(t.activeCues).map(c => c.text);
                }
            }
            return [];
        }"""
    )


@pytest.fixture(autouse=True)
def _quiet_player_before_flush(request):
    """Leave the lesson before the database is flushed: the player's last heartbeat
    (sendBeacon on pagehide) and hls.js's requests must not race the flush."""
    page = request.getfixturevalue("page") if "page" in request.fixturenames else None
    yield
    if page is not None:
        page.goto("about:blank")
        page.wait_for_timeout(700)


@pytest.fixture
def gold_lesson(catalog, tiers):
    return lesson_with_video(catalog, tier=tiers["gold"], heights=(360, 720, 1080), title="Indexes in depth")


@pytest.mark.parametrize("engine", ["hlsjs", "native"])
def test_entitled_learner_watches_with_captions_and_watermark(live_server, page, gold, gold_lesson, engine):
    os.makedirs(SHOTS, exist_ok=True)
    base = live_server.url
    _log_in(page, base, gold)
    _open_lesson(page, base, gold_lesson, engine)
    expect(page.locator(".player__video")).to_have_attribute("poster", re.compile(r"^/video/f/\d+/"))
    can_play_hls = page.evaluate(
        "() => document.createElement('video').canPlayType('application/vnd.apple.mpegurl')"
    )
    # Debian's chromium 156 answers "maybe" here: it has native HLS, so the native run is real.
    assert engine == "hlsjs" or can_play_hls in ("maybe", "probably"), can_play_hls

    _press_play_and_wait(page)
    assert page.locator("[data-player]").get_attribute("data-active-engine") == engine
    if engine == "hlsjs":
        assert page.evaluate("() => !!(window.Hls && document.querySelector('[data-player]').player.hls)")
    else:
        assert page.evaluate("() => document.querySelector('.player__video').src").endswith("/master.m3u8")

    watermark = page.locator(".player__watermark")
    expect(watermark).to_be_visible()
    expect(watermark).to_have_text(f"gold@example.test · #{gold.pk}")

    page.wait_for_function(
        """() => { const v = document.querySelector('.player__video');
            return Array.from(v.textTracks).some(t => t.mode === 'showing' && t.activeCues && t.activeCues.length); }""",
        timeout=15_000,
    )
    cues = _showing_cues(page)
    assert any(CAPTION_TEXT in c or "Second caption line" in c for c in cues), cues

    page.locator(".player__video").evaluate("v => v.pause()")
    page.screenshot(path=f"{SHOTS}/playing-{engine}.png")


def test_the_browsers_own_hls_is_used_where_it_has_one(live_server, page, gold, gold_lesson):
    base = live_server.url
    _log_in(page, base, gold)
    _open_lesson(page, base, gold_lesson)
    _press_play_and_wait(page, seconds=1)

    # Debian's chromium answers "maybe" for HLS, so the player leaves hls.js unloaded.
    assert page.locator("[data-player]").get_attribute("data-active-engine") == "native"
    assert page.evaluate("() => typeof window.Hls") == "undefined"


def test_key_url_from_one_learner_is_refused_for_another(live_server, page, gold, silver, gold_lesson):
    base = live_server.url
    _log_in(page, base, gold)
    _open_lesson(page, base, gold_lesson, "hlsjs")
    key_urls = []
    page.on("request", lambda request: key_urls.append(request.url) if "/video/key/" in request.url else None)
    _press_play_and_wait(page, 1)
    assert key_urls
    assert page.request.get(key_urls[0]).status == 200

    with browser_context(page.context.browser) as other:
        other_page = other.new_page()
        _log_in(other_page, base, silver)
        response = other_page.request.get(key_urls[0])
        assert response.status == 403
        assert response.json()["error"]["code"] == "wrong_user"


def test_bronze_learner_on_a_gold_lesson_gets_the_upgrade_message_and_no_key(
    live_server, page, gold, bronze, gold_lesson, tiers
):
    base = live_server.url
    # A gold member's key URL, for the refusal check below.
    member = Client()
    member.force_login(gold)
    data = member.post(
        f"/video/play/{gold_lesson.pk}/", {"device": "member-device-1"}, content_type="application/json"
    ).json()
    media = member.get(data["master_url"].replace("master.m3u8", "360p.m3u8")).content.decode()
    key_url = re.search(r'URI="([^"]+)"', media).group(1)

    _log_in(page, base, bronze)
    response = page.goto(base + gold_lesson.url)
    assert response.status == 403
    expect(page.get_by_text(re.compile("Upgrade to Gold"))).to_be_visible()
    expect(page.get_by_role("link", name="Get Gold").first).to_be_visible()

    refused = page.request.get(base + key_url)
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "wrong_user"

    # The lesson page was open while it was free; the course then moved to Gold before
    # Bronze pressed play: the refusal shows in the video area, with the way to upgrade.
    gold_lesson.course.required_tier = None
    gold_lesson.course.save()
    _open_lesson(page, base, gold_lesson)
    gold_lesson.course.required_tier = tiers["gold"]
    gold_lesson.course.save()
    page.get_by_role("button", name="Play video").click()
    message = page.locator(".player__message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("This lesson is for Gold members. You are on the Bronze plan.")
    expect(message.get_by_role("link", name="Get Gold")).to_have_attribute("href", "/membership/?tier=gold")
    assert page.locator("[data-player]").get_attribute("data-refusal") == "tier_too_low"
    page.screenshot(path=f"{SHOTS}/refused-bronze.png")


def test_lesson_plays_on_a_phone_screen(live_server, chromium, gold, gold_lesson):
    with browser_context(
        chromium, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    ) as context:
        page = context.new_page()
        page.set_default_timeout(15_000)
        base = live_server.url
        _log_in(page, base, gold)
        _open_lesson(page, base, gold_lesson, "hlsjs")
        _press_play_and_wait(page, 1)
        box = page.locator(".player__stage").bounding_box()
        assert box["width"] <= 360 and box["height"] > 150
        controls = page.locator(".player__controls")
        assert controls.bounding_box()["width"] <= 360
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        for name in ("Pause", "Back 10 seconds", "Forward 10 seconds", "Full screen"):
            expect(page.get_by_role("button", name=name)).to_be_visible()
        page.screenshot(path=f"{SHOTS}/phone-360.png", full_page=False)


def test_keyboard_controls_and_speed(live_server, page, gold, gold_lesson):
    base = live_server.url
    _log_in(page, base, gold)
    _open_lesson(page, base, gold_lesson, "hlsjs")
    _press_play_and_wait(page, 1)
    video = page.locator(".player__video")
    page.locator(".player__stage").focus()
    page.keyboard.press("k")
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    assert video.evaluate("v => v.paused")
    before = video.evaluate("v => v.currentTime")
    page.keyboard.press("l")
    page.wait_for_function(f"() => document.querySelector('.player__video').currentTime > {before} + 2")
    page.keyboard.press("m")
    assert video.evaluate("v => v.muted")
    page.keyboard.press("c")
    assert page.locator('[data-control="captions"]').input_value() == ""
    page.get_by_label("Playback speed").select_option("1.5")
    assert video.evaluate("v => v.playbackRate") == 1.5
    expect(page.locator("[data-status]")).to_have_text("Speed 1.5×")


def test_a_long_pause_past_every_expiry_resumes_without_an_error(
    live_server, page, gold, gold_lesson, settings
):
    """The 40-minute pause, scaled down: segment URLs live ~2 s, the player buffers only
    2 s ahead, and the playback session looks idle (40 minutes) when the learner resumes.
    The player renews its URLs through the playback view and plays on."""
    from datetime import timedelta

    from django.utils import timezone

    from memberships.models import PlaybackSession

    settings.PLAYBACK_SEGMENT_SECONDS = 1
    settings.PLAYBACK_URL_BUCKET_SECONDS = 1
    base = live_server.url
    _log_in(page, base, gold)
    page.add_init_script(
        "window.LECTERN_HLS_CONFIG = {maxBufferLength: 2, maxMaxBufferLength: 2, backBufferLength: 0};"
    )
    expired, renewals = [], []
    page.on("response", lambda r: expired.append(r.url) if r.status == 410 else None)
    page.on(
        "request",
        lambda r: renewals.append(r.post_data) if r.method == "POST" and "/video/play/" in r.url else None,
    )
    _open_lesson(page, base, gold_lesson, "hlsjs")
    _press_play_and_wait(page, 1)
    page.locator(".player__video").evaluate("v => v.pause()")
    PlaybackSession.objects.filter(user=gold).update(last_seen_at=timezone.now() - timedelta(minutes=40))
    page.wait_for_timeout(3500)  # every segment URL the player holds has expired
    page.locator(".player__video").evaluate("v => v.play()")
    page.wait_for_function("() => document.querySelector('.player__video').currentTime > 9", timeout=40_000)

    assert expired, "no segment URL expired during the pause"
    assert any('"refresh": true' in (body or "") or '"refresh":true' in (body or "") for body in renewals)
    assert page.locator("[data-player]").get_attribute("data-refusal") is None
    expect(page.locator(".player__message")).to_be_hidden()
    sessions = PlaybackSession.objects.filter(user=gold)
    assert sessions.filter(ended_at__isnull=True).count() == 1


_FETCH = """async ([url, json]) => {
    const response = await fetch(url, {credentials: 'same-origin', cache: 'no-store'});
    const body = await response.text();
    let code = null;
    if (json) { try { code = JSON.parse(body).error.code; } catch (e) {} }
    return {status: response.status, body: json ? '' : body, code};
}"""


def _fetch(page, url, *, json=False):
    """GET `url` from inside the page, with the learner's cookies, as the player would."""
    return page.evaluate(_FETCH, [url, json])


def _master_url(page):
    return page.evaluate("() => document.querySelector('[data-player]').player.data.master_url")


def _first_segment(playlist):
    return next(line for line in playlist.splitlines() if line and not line.startswith("#"))


def test_an_expired_segment_url_is_refused_in_the_browser(live_server, page, gold, gold_lesson, settings):
    """A segment link copied out of the page stops working once its expiry passes; the
    same file under a freshly issued URL still loads. Expired links answer 410 ("Gone",
    code "expired"), which is what tells the player to renew rather than give up."""
    import time

    settings.PLAYBACK_SEGMENT_SECONDS = 3
    settings.PLAYBACK_URL_BUCKET_SECONDS = 1
    base = live_server.url
    _log_in(page, base, gold)
    _open_lesson(page, base, gold_lesson, "hlsjs")
    _press_play_and_wait(page, 1)
    page.locator(".player__video").evaluate("v => v.pause()")
    media_url = _master_url(page).replace("master.m3u8", "360p.m3u8")

    playlist = _fetch(page, media_url)
    assert playlist["status"] == 200
    segment = _first_segment(playlist["body"])
    assert segment.startswith("/video/f/") and segment.endswith(".ts"), segment
    assert _fetch(page, segment, json=True)["status"] == 200

    expires = int(segment.split("/")[3])
    time.sleep(max(0.0, expires - time.time()) + 1.2)
    expired = _fetch(page, segment, json=True)
    assert (expired["status"], expired["code"]) == (410, "expired")

    fresh_playlist = _fetch(page, media_url)
    assert fresh_playlist["status"] == 200
    fresh = _first_segment(fresh_playlist["body"])
    assert fresh != segment and fresh.rsplit("/", 1)[-1] == segment.rsplit("/", 1)[-1]
    assert _fetch(page, fresh, json=True)["status"] == 200


def test_bronze_learner_asking_for_1080p_by_url_is_refused_and_still_watches(
    live_server, page, bronze, catalog
):
    """Bronze's plan stops at 720p: the master playlist lists no 1080p, editing the URL to
    ask for it anyway is refused, and the lesson still plays in the qualities that remain."""
    free_lesson = lesson_with_video(catalog, heights=(360, 720, 1080), title="Joins, gently")
    base = live_server.url
    asked_for = []
    page.on("request", lambda request: asked_for.append(request.url) if ".m3u8" in request.url else None)
    _log_in(page, base, bronze)
    _open_lesson(page, base, free_lesson)
    _press_play_and_wait(page)
    master_url = _master_url(page)
    player_asked_for = list(asked_for)

    master = _fetch(page, master_url)
    assert master["status"] == 200
    assert re.findall(r"^(\d+)p\.m3u8$", master["body"], re.M) == ["360", "720"]
    assert "1080" not in master["body"]

    refused = _fetch(page, master_url.replace("master.m3u8", "1080p.m3u8"), json=True)
    assert (refused["status"], refused["code"]) == (403, "quality_not_in_plan")
    assert _fetch(page, master_url.replace("master.m3u8", "720p.m3u8"))["status"] == 200
    assert any(url.endswith("/720p.m3u8") for url in player_asked_for), player_asked_for
    assert not [url for url in player_asked_for if "1080p" in url], player_asked_for
    assert page.locator("[data-player]").get_attribute("data-refusal") is None
