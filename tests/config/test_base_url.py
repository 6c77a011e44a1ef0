"""Absolute links follow the address the site is served at in development, and the
public address is required in production.

`PORT=8102 make run` used to issue certificates, QR codes, the did:web identity, status
list URLs and email links for port 8000, so its credentials failed README's own
verification steps.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from .test_settings import _manage, _production_secrets

ROOT = Path(__file__).resolve().parents[2]

SHOW_LINKS = """
import json, django
django.setup()
from django.conf import settings
from certificates.vc_jwt import issuer_did
from certificates.models import Certificate
from certificates.status_list import list_url
print(json.dumps({
    "base": settings.WAGTAILADMIN_BASE_URL,
    "verification": Certificate(number="LCT-2026-ABCDEF").verification_url,
    "did": issuer_did(),
    "status_list": list_url(1),
}))
"""


def _dev_links(**env_overrides) -> dict:
    served = {"HOST", "PORT", "LECTERN_SERVED_AT", "WAGTAILADMIN_BASE_URL", "CERTIFICATE_BASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in served}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", **env_overrides})
    result = subprocess.run(
        [sys.executable, "-c", SHOW_LINKS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dev_links_name_the_port_the_site_is_served_at():
    links = _dev_links(PORT="8102")
    assert links["base"] == "http://127.0.0.1:8102"
    # The QR code on the PDF encodes exactly this verification URL.
    assert links["verification"] == "http://127.0.0.1:8102/certificates/verify/LCT-2026-ABCDEF/"
    assert links["did"] == "did:web:127.0.0.1%3A8102"
    assert links["status_list"].startswith("http://127.0.0.1:8102/")


def test_make_runs_address_wins_over_the_port_honcho_gives_each_process():
    """A job cluster under honcho has PORT=8202; the certificate it renders still names
    the web server's address."""
    links = _dev_links(PORT="8202", LECTERN_SERVED_AT="0.0.0.0:8102")
    assert links["base"] == "http://127.0.0.1:8102"
    assert links["did"] == "did:web:127.0.0.1%3A8102"


def test_an_explicit_base_url_is_kept_in_development():
    links = _dev_links(PORT="8102", WAGTAILADMIN_BASE_URL="https://learn.example")
    assert links["verification"].startswith("https://learn.example/")
    assert links["did"] == "did:web:learn.example"


def test_production_refuses_to_start_without_its_public_address():
    secrets = _production_secrets()
    del secrets["WAGTAILADMIN_BASE_URL"]
    result = _manage("check", env_overrides=secrets)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "WAGTAILADMIN_BASE_URL" in result.stderr
