"""The key endpoint as gunicorn and runserver reach it: through `config.wsgi`, whose
key path runs a shorter middleware list (config/handlers.py). Every check the view makes
must hold there too: the session's user, a changed password, the policy, the playback
session, forged and expired tokens, the rate limit and the access log."""

import io
import sys
import time
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

import pytest

from config.handlers import lean_paths_application
from media_pipeline.models import KeyAccess
from memberships.models import PlaybackSession

from .playback_support import lesson_with_video, rendition_key_of
from .test_playback import _protected_urls, client_for, tampered

pytestmark = pytest.mark.django_db


@pytest.fixture
def app():
    """The application as config.wsgi builds it."""
    return lean_paths_application(WSGIHandler())


@pytest.fixture
def gold_lesson(catalog, tiers):
    return lesson_with_video(catalog, tier=tiers["gold"], heights=(360, 720))


def wsgi_get(app, url, client=None):
    """GET `url` through the WSGI application with `client`'s session cookie."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
        environ["HTTP_COOKIE"] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = int(status.split()[0]), dict(headers)

    # As Django's test client does, keep the handler from closing the test's database
    # connection (and with it the test's transaction) around the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(app(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


def error_code(body: bytes) -> str:
    import json

    return json.loads(body)["error"]["code"]


def test_entitled_learner_gets_the_key_through_the_short_stack(app, gold, gold_lesson):
    client = client_for(gold)
    key_url = _protected_urls(client, gold_lesson)["key"]

    status, headers, body = wsgi_get(app, key_url, client)

    assert status == 200 and body == rendition_key_of(gold_lesson.video, 360)
    assert "no-store" in headers["Cache-Control"] and "private" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"  # security middleware ran
    assert headers["X-Request-ID"]  # so did the request id
    # …and the rest of the site's middleware did not: no frame options on 16 bytes.
    assert "X-Frame-Options" not in headers
    assert KeyAccess.objects.get().allowed


def test_every_other_path_keeps_the_full_stack(app, gold, gold_lesson):
    client = client_for(gold)
    master = _protected_urls(client, gold_lesson)["master"]
    status, headers, _ = wsgi_get(app, master, client)
    assert status == 200 and headers["X-Frame-Options"] == "DENY"
    assert wsgi_get(app, "/", client)[1]["X-Frame-Options"] == "DENY"


def test_no_lean_paths_sends_everything_through_the_full_stack(settings):
    full = WSGIHandler()
    settings.LEAN_PATHS = []
    assert lean_paths_application(full) is full


def test_visitor_other_learner_and_unentitled_learner_are_refused(app, gold, silver, bronze, gold_lesson):
    key_url = _protected_urls(client_for(gold), gold_lesson)["key"]

    assert error_code(wsgi_get(app, key_url)[2]) == "login_required"
    status, _, body = wsgi_get(app, key_url, client_for(silver))
    assert (status, error_code(body)) == (403, "wrong_user")
    assert wsgi_get(app, key_url, client_for(bronze))[0] == 403
    assert not KeyAccess.objects.filter(allowed=True).exists()


def test_forged_and_expired_tokens_are_refused(app, gold, gold_lesson):
    client = client_for(gold)
    key_url = _protected_urls(client, gold_lesson)["key"]
    token = key_url.split("/")[3]
    payload, signature = token.rsplit(".", 1)

    forged = key_url.replace(token, f"{payload}.{tampered(signature)}")
    assert wsgi_get(app, forged, client)[0] == 403
    later = time.time() + 4 * 3600 + 600
    with mock.patch("media_pipeline.playback.time.time", return_value=later):
        status, _, body = wsgi_get(app, key_url, client)
    assert (status, error_code(body)) == (403, "expired")
    assert not KeyAccess.objects.filter(allowed=True).exists()


def test_a_changed_password_ends_the_session_for_the_key_too(app, gold, gold_lesson):
    client = client_for(gold)
    key_url = _protected_urls(client, gold_lesson)["key"]
    assert wsgi_get(app, key_url, client)[0] == 200

    gold.set_password("a brand new passphrase 42")
    gold.save()

    status, _, body = wsgi_get(app, key_url, client)
    assert (status, error_code(body)) == (401, "login_required")


def test_lapsed_subscription_and_ended_playback_session_are_refused(app, gold, gold_lesson):
    client = client_for(gold)
    key_url = _protected_urls(client, gold_lesson)["key"]

    PlaybackSession.objects.filter(user=gold).update(ended_at=timezone.now())
    status, _, body = wsgi_get(app, key_url, client)
    assert (status, error_code(body)) == (409, "device_limit")

    PlaybackSession.objects.filter(user=gold).update(ended_at=None)
    assert wsgi_get(app, key_url, client)[0] == 200
    gold.subscriptions.update(ends_at=timezone.now() - timedelta(minutes=1))
    status, _, body = wsgi_get(app, key_url, client)
    assert (status, error_code(body)) == (403, "subscription_lapsed")


def test_key_requests_are_still_rate_limited(app, gold, gold_lesson, settings):
    cache.clear()  # no count left over from an earlier test's requests in this minute
    settings.PLAYBACK_KEY_RATE = "3/m"
    client = client_for(gold)
    key_url = _protected_urls(client, gold_lesson)["key"]
    codes = [wsgi_get(app, key_url, client)[0] for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_a_rendition_above_the_viewers_tier_is_refused_through_the_short_stack(app, bronze, catalog):
    from media_pipeline import playback

    lesson = lesson_with_video(catalog, heights=(360, 720, 1080))
    client = client_for(bronze)
    key_url = _protected_urls(client, lesson)["key"]
    token = playback.read_token("key", key_url.split("/")[3])
    assert wsgi_get(app, key_url, client)[0] == 200  # Bronze's own 360p key
    above = playback.make_token(
        "key",
        user_id=token.user_id,
        session_id=token.session_id,
        video_id=token.video_id,
        lesson_id=token.lesson_id,
        rendition=1080,
        ttl=600,
    )

    status, headers, body = wsgi_get(app, f"/video/key/{above}/", client)

    assert (status, error_code(body)) == (403, "quality_not_in_plan")
    assert "no-store" in headers["Cache-Control"]
    assert KeyAccess.objects.filter(allowed=False, reason="quality_not_in_plan").count() == 1
