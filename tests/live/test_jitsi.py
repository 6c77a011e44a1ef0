"""Jitsi rooms and signed join tokens, checked with PyJWT against the configured secret."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import timezone

import jwt
import pytest

from live.providers.jitsi import JitsiProvider, join_token, room_name

SECRET = "jitsi-shared-secret-for-tests-0123456789"


@pytest.fixture
def token_auth(settings):
    settings.JITSI_BASE_URL = "https://meet.lectern.example"
    settings.JITSI_APP_ID = "lectern"
    settings.JITSI_APP_SECRET = SECRET


def decode(token, **options):
    return jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi", issuer="lectern", **options)


def test_without_settings_rooms_are_on_the_public_server_without_a_token(open_session, gold):
    result = JitsiProvider().create(open_session)
    assert result.join_url == f"https://meet.jit.si/{room_name(open_session)}"
    open_session.join_url = result.join_url
    assert JitsiProvider().join_url_for(open_session, gold) == result.join_url


def test_room_names_do_not_follow_from_the_title_alone(course, instructor):
    from .factories import LiveSessionFactory

    first = LiveSessionFactory(course=course, title="Office hours")
    second = LiveSessionFactory(course=course, title="Office hours")
    assert room_name(first) != room_name(second)
    assert room_name(first).startswith("lectern-office-hours-")


def test_learner_token_is_signed_for_the_room_and_is_not_a_moderator(token_auth, open_session, enrolled_gold):
    open_session.join_url = JitsiProvider().create(open_session).join_url
    url = JitsiProvider().join_url_for(open_session, enrolled_gold)

    parts = urlsplit(url)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}"
        == f"https://meet.lectern.example/{room_name(open_session)}"
    )
    claims = decode(parse_qs(parts.query)["jwt"][0])
    assert claims["room"] == room_name(open_session)
    assert claims["sub"] == "meet.lectern.example"
    assert claims["context"]["user"]["moderator"] is False
    assert claims["context"]["user"]["email"] == enrolled_gold.email
    assert claims["context"]["user"]["name"] == enrolled_gold.display_name
    lifetime = claims["exp"] - claims["iat"]
    assert 0 < lifetime <= 300


def test_the_course_instructor_joins_as_moderator(token_auth, open_session, instructor):
    claims = decode(join_token(open_session, instructor))
    assert claims["context"]["user"]["moderator"] is True


def test_another_instructor_is_not_a_moderator(token_auth, open_session, other_instructor):
    claims = decode(join_token(open_session, other_instructor))
    assert claims["context"]["user"]["moderator"] is False


def test_token_expires_soon(token_auth, open_session, gold):
    token = join_token(open_session, gold, now=timezone.now() - timedelta(minutes=10))
    with pytest.raises(jwt.ExpiredSignatureError):
        decode(token)


def test_token_signed_with_another_secret_is_rejected(token_auth, open_session, gold):
    token = join_token(open_session, gold)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "not-the-secret-" * 3, algorithms=["HS256"], audience="jitsi")


def test_forged_moderator_claim_does_not_verify(token_auth, open_session, gold):
    header, payload, signature = join_token(open_session, gold).split(".")
    forged_payload = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b'"moderator":false', b'"moderator":true')
    ).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        decode(f"{header}.{forged_payload}.{signature}")


def test_join_view_redirects_gold_learner_with_a_fresh_token(token_auth, client, open_session, enrolled_gold):
    open_session.join_url = JitsiProvider().create(open_session).join_url
    open_session.save()
    client.force_login(enrolled_gold)

    response = client.get(reverse("live:join", args=[open_session.pk]))

    assert response.status_code == 302
    claims = decode(parse_qs(urlsplit(response["Location"]).query)["jwt"][0])
    assert claims["room"] == room_name(open_session)
    assert claims["context"]["user"]["moderator"] is False
