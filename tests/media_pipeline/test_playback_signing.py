"""The production forms of signed segment URLs: nginx secure_link and S3 presigned GETs."""

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlparse

import pytest

from media_pipeline import playback, signing

NAME = "video/4f1c/build01/720p/seg_00042.ts"


def test_nginx_urls_carry_what_secure_link_md5_checks(settings):
    settings.PLAYBACK_FILES_SERVER = "nginx"
    settings.PLAYBACK_NGINX_SECRET = "s3cret-for-nginx"
    expires = signing.expiry_in(600)
    url = signing.signed_file_url(NAME, expires)
    parsed = urlparse(url)
    assert parsed.path == "/hls/4f1c/build01/720p/seg_00042.ts"
    query = parse_qs(parsed.query)
    assert query["expires"] == [str(expires)]
    # nginx: secure_link_md5 "$secure_link_expires$uri $lectern_hls_secret"; base64url, no padding.
    expected = base64.urlsafe_b64encode(
        hashlib.md5(f"{expires}{parsed.path} s3cret-for-nginx".encode(), usedforsecurity=False).digest()
    ).rstrip(b"=")
    assert query["md5"] == [expected.decode()]
    settings.PLAYBACK_NGINX_SECRET = "another-secret"
    assert signing.signed_file_url(NAME, expires) != url


def test_nginx_without_a_secret_refuses_to_start(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import config.settings.base as base

    monkeypatch.setenv("PLAYBACK_FILES_SERVER", "nginx")
    monkeypatch.setenv("PLAYBACK_NGINX_SECRET", "")
    with pytest.raises(ImproperlyConfigured, match="PLAYBACK_NGINX_SECRET"):
        importlib.reload(base)
    monkeypatch.undo()
    importlib.reload(base)


def test_s3_segment_urls_are_presigned_for_the_private_prefix_and_expire(settings):
    settings.PLAYBACK_FILES_SERVER = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "lectern-test",
                "access_key": "test-access",
                "secret_key": "test-secret",
                "endpoint_url": "http://127.0.0.1:9",
                "region_name": "us-east-1",
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                "signature_version": "s3v4",
            },
        },
    }
    from django.core.files.storage import storages

    storages._storages.pop("private", None)
    try:
        expires = signing.expiry_in(1200)
        url = signing.signed_file_url(NAME, expires)
    finally:
        storages._storages.pop("private", None)
    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    assert parsed.path.endswith("/lectern-test/private/" + NAME) or parsed.path == "/private/" + NAME
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    seconds = int(query["X-Amz-Expires"][0])
    assert 1200 - 5 <= seconds <= expires - time.time() + 5
    assert query["X-Amz-Signature"][0]
    assert "test-secret" not in url


def test_playlist_rewriting_uses_the_configured_form(settings):
    settings.PLAYBACK_FILES_SERVER = "nginx"
    settings.PLAYBACK_NGINX_SECRET = "s3cret-for-nginx"
    text = (
        '#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x00\n#EXTINF:6.0,\nseg_00000.ts\n#EXT-X-ENDLIST\n'
    )
    parsed = playback.parse_media_playlist(text, "video/4f1c/build01/720p/")
    out = playback.render_media_playlist(parsed, "/video/key/T/", signing.expiry_in(600))
    assert "/hls/4f1c/build01/720p/seg_00000.ts?md5=" in out
