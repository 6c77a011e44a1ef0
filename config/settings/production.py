"""Production: every secret from the environment, no default; fails loudly if missing."""

from .base import *
from .base import env

SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# The public address: certificates (their QR codes and did:web identity), status lists
# and every email link are built from it, so it is required, never a default.
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL").rstrip("/")
CERTIFICATE_BASE_URL = (env("CERTIFICATE_BASE_URL", default="") or WAGTAILADMIN_BASE_URL).rstrip("/")

# Media packaging: without a master key no video can be packaged or played; fail now.
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from media_pipeline.keys import parse_master_keys  # noqa: E402

MEDIA_MASTER_KEYS = env("MEDIA_MASTER_KEYS")
MEDIA_MASTER_KEY_ID = env("MEDIA_MASTER_KEY_ID")
if "bGVjdGVybi1kZXYtb25seS1tZWRpYS1tYXN0ZXItayE=" in MEDIA_MASTER_KEYS:
    raise ImproperlyConfigured("MEDIA_MASTER_KEYS holds the dev-only key; generate a real one.")
if MEDIA_MASTER_KEY_ID not in parse_master_keys(MEDIA_MASTER_KEYS):  # raises if malformed
    raise ImproperlyConfigured("MEDIA_MASTER_KEY_ID must name one of the keys in MEDIA_MASTER_KEYS.")

# Certificates: the credential signing key is required; the dev-only key is refused.
from certificates.keys import DEV_ONLY_KEY, SigningKeyError, parse_signing_key  # noqa: E402

CERTIFICATE_SIGNING_KEY = env.str("CERTIFICATE_SIGNING_KEY", multiline=True)
if DEV_ONLY_KEY in CERTIFICATE_SIGNING_KEY:
    raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY holds the dev-only key; generate a real one.")
try:
    parse_signing_key(CERTIFICATE_SIGNING_KEY)
except SigningKeyError as error:
    raise ImproperlyConfigured(str(error)) from None

# Operations: backups cannot be encrypted (or ever restored) without their key; fail now.
# Logs are JSON lines with the request id unless LOG_JSON=false.
BACKUP_ENCRYPTION_KEY = env("BACKUP_ENCRYPTION_KEY")
if BACKUP_ENCRYPTION_KEY == "bGVjdGVybi1ERVYtT05MWS1iYWNrdXAta2V5LTAwMDA=":
    raise ImproperlyConfigured("BACKUP_ENCRYPTION_KEY holds the dev-only key; generate a real one.")
from operations.crypto import load_key  # noqa: E402

load_key(BACKUP_ENCRYPTION_KEY)  # raises ImproperlyConfigured unless base64 of 32 bytes
LOG_JSON = env.bool("LOG_JSON", default=True)
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_JSON else "plain"
# Load balancers probe /healthz and /readyz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
