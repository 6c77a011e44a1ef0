"""Signed, expiring URLs for packaged video files (segments, poster, storyboard, captions).

Segments are AES-128 encrypted, so their URLs only need to stop a pasted link from
working for long: they are signed over (expiry, storage name) with an HMAC and are not
bound to a user — the key endpoint is what is bound to a learner. That keeps signing a
pure computation (no database), which is what makes rewriting a 1,200-segment playlist
cheap, and lets a CDN or nginx check the URL without asking Django.

One setting, `PLAYBACK_FILES_SERVER`, picks the form (it defaults to how protected files
are served, `PROTECTED_FILES_SERVER`):

- ``django``: ``/video/f/<expires>/<sig>/<storage name>``, answered by
  `player_views.signed_file`, which checks the HMAC in constant time and streams the file
  from private storage. Fine for one machine and for tests.
- ``nginx``: ``/hls/<name below video/>?md5=…&expires=…``, the form nginx's
  ``secure_link`` module checks itself (``secure_link_md5 "$secure_link_expires$uri <secret>"``,
  see deploy/nginx.conf) so segment bytes never pass through Python.
- ``s3``: presigned GETs from the private bucket (SigV4), valid for the same window.

Expiry is rounded up to a bucket boundary (`PLAYBACK_URL_BUCKET_SECONDS`), so every
playlist issued in the same window carries identical segment URLs: the rewritten
segment list can be memoised per (build, rendition, window) and a CDN sees stable URLs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import time
from functools import lru_cache

from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse

SIGNED_FILE_PREFIXES = ("video/", "video-captions/")
SIGNED_FILE_TYPES = {
    ".ts": "video/mp2t",
    ".jpg": "image/jpeg",
    ".vtt": "text/vtt; charset=utf-8",
}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@lru_cache(maxsize=4)
def _derive(secret: str, purpose: str) -> bytes:
    return hashlib.sha256(f"lectern.{purpose}:{secret}".encode()).digest()


def signing_key(purpose: str = "files") -> bytes:
    """A key for one purpose, derived from PLAYBACK_SIGNING_KEY (or SECRET_KEY), so a
    signature made for segment URLs can never pass as a key token or vice versa."""
    secret = getattr(settings, "PLAYBACK_SIGNING_KEY", "") or settings.SECRET_KEY
    return _derive(secret, purpose)


def files_server() -> str:
    return getattr(settings, "PLAYBACK_FILES_SERVER", "django")


def expiry_in(ttl: int, *, now: float | None = None) -> int:
    """A Unix expiry at least `ttl` seconds away, rounded up to the bucket boundary."""
    bucket = max(int(getattr(settings, "PLAYBACK_URL_BUCKET_SECONDS", 300)), 1)
    now = time.time() if now is None else now
    return int(math.ceil((now + ttl) / bucket) * bucket)


# -- the Django form -------------------------------------------------------------------


def file_signature(name: str, expires: int) -> str:
    digest = hmac.digest(signing_key("files"), f"{expires}:{name}".encode(), "sha256")
    return _b64(digest[:16])


def is_servable_name(name: str) -> bool:
    """Only packaged output and captions, never sources, keys or anything with `..`."""
    return (
        name.startswith(SIGNED_FILE_PREFIXES)
        and ".." not in name.split("/")
        and "\\" not in name
        and any(name.endswith(ext) for ext in SIGNED_FILE_TYPES)
    )


def check_file_signature(name: str, expires: str, signature: str, *, now: float | None = None) -> str:
    """'' when the URL is good, else why not: "forged" or "expired" (checked in that order,
    so an attacker learns nothing about expiry from a forged URL)."""
    if not is_servable_name(name) or not expires.isdigit():
        return "forged"
    if not hmac.compare_digest(file_signature(name, int(expires)), signature):
        return "forged"
    if int(expires) < (time.time() if now is None else now):
        return "expired"
    return ""


_FILE_URL_PREFIX: list[str] = []


def _file_url_prefix() -> str:
    if not _FILE_URL_PREFIX:
        _FILE_URL_PREFIX.append(reverse("media_pipeline:signed_file_root"))
    return _FILE_URL_PREFIX[0]


# -- the nginx secure_link form ---------------------------------------------------------


def nginx_uri(name: str) -> str:
    """The path nginx serves `name` at: `/hls/` aliased onto the private folder's video/."""
    location = getattr(settings, "PLAYBACK_NGINX_LOCATION", "/hls/")
    return location + name.removeprefix("video/")


def nginx_signature(uri: str, expires: int) -> str:
    """What `secure_link_md5 "$secure_link_expires$uri <secret>"` computes (MD5 is nginx's
    choice, not ours; the secret makes it a keyed hash)."""
    secret = settings.PLAYBACK_NGINX_SECRET
    digest = hashlib.md5(f"{expires}{uri} {secret}".encode(), usedforsecurity=False).digest()
    return _b64(digest)


# -- one entry point ------------------------------------------------------------------


def signed_file_url(name: str, expires: int) -> str:
    """A URL for the private-storage file `name`, good until `expires` (Unix time)."""
    server = files_server()
    if server == "nginx" and name.startswith("video/"):
        uri = nginx_uri(name)
        return f"{uri}?md5={nginx_signature(uri, expires)}&expires={expires}"
    if server == "s3":
        seconds = max(int(expires - time.time()), 1)
        return storages["private"].url(name, expire=seconds)
    return f"{_file_url_prefix()}{expires}/{file_signature(name, expires)}/{name}"


def url_signer(expires: int):
    """A fast `name -> url` function for many files with one expiry (playlist rewriting):
    the key, prefix and server are looked up once, each URL is one HMAC."""
    server = files_server()
    if server != "django":
        return lambda name: signed_file_url(name, expires)
    key = signing_key("files")
    prefix = f"{_file_url_prefix()}{expires}/"
    stamp = f"{expires}:"
    digest, encode = hmac.digest, base64.urlsafe_b64encode

    def sign(name: str) -> str:
        sig = encode(digest(key, (stamp + name).encode(), "sha256")[:16]).rstrip(b"=").decode("ascii")
        return f"{prefix}{sig}/{name}"

    return sign
