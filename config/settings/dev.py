"""Local development: the embedded default that `make run` serves."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *
from .base import env

# Media packaging: a fixed dev-only master key (never valid outside dev/test).
MEDIA_MASTER_KEYS = MEDIA_MASTER_KEYS or "dev:bGVjdGVybi1kZXYtb25seS1tZWRpYS1tYXN0ZXItayE="
MEDIA_MASTER_KEY_ID = MEDIA_MASTER_KEY_ID or "dev"

# Certificates: a fixed dev-only signing key (production requires its own).
CERTIFICATE_SIGNING_KEY = CERTIFICATE_SIGNING_KEY or "mMC9neTzqARD9B/MxTzlOWQK5PL5pUdlDxnFvlJIZkg="

# Operations: a fixed dev-only backup key (production requires its own and refuses this one).
BACKUP_ENCRYPTION_KEY = BACKUP_ENCRYPTION_KEY or "bGVjdGVybi1ERVYtT05MWS1iYWNrdXAta2V5LTAwMDA="

# Absolute links (certificate verification URLs and their QR codes, the did:web identity,
# status list URLs, email links) name the address this site is served at, unless
# WAGTAILADMIN_BASE_URL (or CERTIFICATE_BASE_URL) is set explicitly, in the environment
# or in .env. `make run` passes LECTERN_SERVED_AT=<HOST>:<PORT> to every process it starts
# (honcho gives each process its own PORT, so the job clusters cannot read PORT).
if "WAGTAILADMIN_BASE_URL" not in os.environ:
    _served_host, _, _served_port = (
        os.environ.get("LECTERN_SERVED_AT")
        or f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
    ).rpartition(":")
    # A server listening on every interface is reached on loopback from this machine.
    if _served_host in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104 - an address, not a bind
        _served_host = "127.0.0.1"
    WAGTAILADMIN_BASE_URL = f"http://{_served_host}:{_served_port}"
    CERTIFICATE_BASE_URL = (env("CERTIFICATE_BASE_URL", default="") or WAGTAILADMIN_BASE_URL).rstrip("/")
