"""The security headers as a browser receives them: through gunicorn started with
deploy/gunicorn.conf.py on the production settings (a migrated database, collected and
compressed static files), requests arriving as nginx forwards them."""

import base64
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[2]
HOST = "lectern.example"
# Everything else is a learner-facing page; the admin has its own policy.
PUBLIC_PAGE = "/accounts/login/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _production_environment(scratch: Path, port: int) -> dict[str, str]:
    signing_key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV"}
    return {
        **{k: v for k, v in os.environ.items() if k in keep},
        "DJANGO_SETTINGS_MODULE": "tests.config.production_collected_static",
        "LECTERN_TEST_STATIC_ROOT": str(scratch / "static"),
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "ALLOWED_HOSTS": HOST,
        "WAGTAILADMIN_BASE_URL": f"https://{HOST}",
        "MEDIA_MASTER_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "MEDIA_MASTER_KEY_ID": "k1",
        "CERTIFICATE_SIGNING_KEY": signing_key.decode(),
        "BACKUP_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
        # Headers do not depend on the database engine: a SQLite file of the test's own.
        "DATABASE_URL": f"sqlite:///{scratch / 'lectern.sqlite3'}",
        "MEDIA_ROOT": str(scratch / "media"),
        "PRIVATE_MEDIA_ROOT": str(scratch / "private"),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("gunicorn-production")
    port = _free_port()
    env = _production_environment(scratch, port)
    for command in (["migrate", "-v0", "--noinput"], ["collectstatic", "-v0", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=600)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "gunicorn exited"
                time.sleep(0.2)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _get(port: int, path: str, https: bool = True) -> http.client.HTTPResponse:
    """A request as deploy/nginx.conf forwards it (Host, X-Forwarded-Proto)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": HOST}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


def test_public_page_sends_a_strict_policy_with_a_fresh_nonce_each_time(gunicorn):
    first, second = _get(gunicorn, PUBLIC_PAGE), _get(gunicorn, PUBLIC_PAGE)
    assert first.status == second.status == 200
    policies = [_directives(r.getheader("Content-Security-Policy")) for r in (first, second)]
    for policy in policies:
        assert policy["script-src"][0] == "'self'"
        assert re.fullmatch(r"'nonce-[A-Za-z0-9+/]{22}=='", policy["script-src"][1])
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
    assert policies[0]["script-src"][1] != policies[1]["script-src"][1]


def test_public_page_sends_hsts_referrer_permissions_coop_and_nosniff(gunicorn):
    response = _get(gunicorn, PUBLIC_PAGE)
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"
    permissions = response.getheader("Permissions-Policy")
    assert "camera=()" in permissions and "microphone=()" in permissions and "geolocation=()" in permissions
    assert "fullscreen=(self)" in permissions


def test_plain_http_is_sent_to_https(gunicorn):
    response = _get(gunicorn, PUBLIC_PAGE, https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}{PUBLIC_PAGE}"


def test_admin_allowances_stay_under_admin(gunicorn):
    admin = _directives(_get(gunicorn, "/admin/").getheader("Content-Security-Policy"))
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["frame-ancestors"] == ["'self'"]
    public = _directives(_get(gunicorn, "/").getheader("Content-Security-Policy"))
    assert "'unsafe-inline'" not in public["script-src"]
