"""Test settings: fast hashing, mail kept in memory, media in a temp folder."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="lectern-test-media-"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="lectern-test-private-"))

from .base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_AUTOREFRESH = True
Q_CLUSTER["sync"] = True
LOGGING["root"]["level"] = "WARNING"
