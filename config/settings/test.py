"""Test settings: fast hashing, mail kept in memory, media in a temp folder."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-long-enough-for-hs256")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="lectern-test-media-"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="lectern-test-private-"))

from .base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Other features' tests log staff in with force_login; the staff MFA tests switch the
# rule back on (tests/accounts/test_staff_mfa.py).
STAFF_MFA_REQUIRED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_AUTOREFRESH = True
Q_CLUSTER["sync"] = True
LOGGING["root"]["level"] = "WARNING"

# Media packaging: a fixed test-only master key.
MEDIA_MASTER_KEYS = MEDIA_MASTER_KEYS or "dev:bGVjdGVybi1kZXYtb25seS1tZWRpYS1tYXN0ZXItayE="
MEDIA_MASTER_KEY_ID = MEDIA_MASTER_KEY_ID or "dev"
# A videos cluster a test starts as a subprocess runs jobs for real, not in-process.
Q_CLUSTER["ALT_CLUSTERS"]["videos"]["sync"] = False

# Certificates: a fixed dev/test-only signing key (production requires its own).
CERTIFICATE_SIGNING_KEY = CERTIFICATE_SIGNING_KEY or "mMC9neTzqARD9B/MxTzlOWQK5PL5pUdlDxnFvlJIZkg="

# Operations: a fixed test-only backup key; backups go to a temporary folder.
BACKUP_ENCRYPTION_KEY = BACKUP_ENCRYPTION_KEY or "bGVjdGVybi1ERVYtT05MWS1iYWNrdXAta2V5LTAwMDA="
BACKUP_DIR = Path(tempfile.mkdtemp(prefix="lectern-test-backups-"))
BACKUP_S3_BUCKET = ""
ADMINS = []

# Bot check: a cheap ALTCHA proof of work, so tests can solve it with the python library.
ALTCHA_COST = 10
