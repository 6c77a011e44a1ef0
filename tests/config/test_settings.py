"""Production settings fail loudly without secrets and pass `check --deploy` with them."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[2]


def _production_secrets() -> dict[str, str]:
    """Fresh keys for everything production refuses to start without."""
    signing_key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return {
        "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
        "ALLOWED_HOSTS": "lectern.example",
        "MEDIA_MASTER_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "MEDIA_MASTER_KEY_ID": "k1",
        "CERTIFICATE_SIGNING_KEY": signing_key.decode(),
        "BACKUP_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
        "WAGTAILADMIN_BASE_URL": "https://lectern.example",
    }


def _manage(*args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", *_production_secrets()}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env_overrides={"ALLOWED_HOSTS": "lectern.example"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", env_overrides={"SECRET_KEY": "x" * 64})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_passes_check_deploy_with_sane_values():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides=_production_secrets(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    ["MEDIA_MASTER_KEYS", "MEDIA_MASTER_KEY_ID", "CERTIFICATE_SIGNING_KEY", "BACKUP_ENCRYPTION_KEY"],
)
def test_production_refuses_to_start_without_each_key(missing):
    secrets = _production_secrets()
    del secrets[missing]

    result = _manage("check", env_overrides=secrets)

    assert result.returncode != 0
    assert missing in result.stderr
