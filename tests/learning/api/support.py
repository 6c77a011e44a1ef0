"""API clients for the learning API tests: a Bearer token per user, expired and forged
ones, and the player's steps (playlist, media playlist, key) done over HTTP."""

from datetime import timedelta

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

DEVICE = "api-device-0001"


def bearer(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def expired(user) -> APIClient:
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(minutes=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def forged(user) -> APIClient:
    token = str(AccessToken.for_user(user))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token[:-6]}AAAAAA")
    return client


def error_code(response, status: int) -> str:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details", "request_id"}
    return error["code"]


def fetch_key(client, master_url: str) -> bytes:
    """What a player does with the returned playlist: the master playlist, the first
    variant's media playlist, then that rendition's key, all with the caller's token."""
    master = client.get(master_url)
    assert master.status_code == 200, master.content
    variant = next(line for line in master.content.decode().splitlines() if line.endswith(".m3u8"))
    media = client.get(master_url.replace("master.m3u8", variant))
    assert media.status_code == 200, media.content
    key_url = media.content.decode().split('URI="', 1)[1].split('"', 1)[0]
    key = client.get(key_url)
    assert key.status_code == 200, key.content
    return key.content
