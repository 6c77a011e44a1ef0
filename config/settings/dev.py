"""Local development: the embedded default that `make run` serves."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *

# Media packaging: a fixed dev-only master key (never valid outside dev/test).
MEDIA_MASTER_KEYS = MEDIA_MASTER_KEYS or "dev:bGVjdGVybi1kZXYtb25seS1tZWRpYS1tYXN0ZXItayE="
MEDIA_MASTER_KEY_ID = MEDIA_MASTER_KEY_ID or "dev"

# Certificates: a fixed dev-only signing key (production requires its own).
CERTIFICATE_SIGNING_KEY = CERTIFICATE_SIGNING_KEY or "mMC9neTzqARD9B/MxTzlOWQK5PL5pUdlDxnFvlJIZkg="

# Operations: a fixed dev-only backup key (production requires its own and refuses this one).
BACKUP_ENCRYPTION_KEY = BACKUP_ENCRYPTION_KEY or "bGVjdGVybi1ERVYtT05MWS1iYWNrdXAta2V5LTAwMDA="
