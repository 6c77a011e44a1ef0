"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the environment
(django-environ). The embedded default is SQLite, local media, a local-memory cache
and django-q2's ORM broker; `DATABASE_URL`, `REDIS_URL` and the `AWS_*` variables
switch to PostgreSQL, Redis and S3-compatible storage.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Application definition
INSTALLED_APPS = [
    # Ours: one job each (see ARCHITECTURE.md).
    "accounts",
    "images",
    "documents",
    "home",
    "learning",
    "memberships",
    "earnings",
    "media_pipeline",
    "quizzes",
    "certificates",
    "live",
    "analytics",
    "operations",
    "search",
    "notifications",
    "demo",
    "challenges",
    "account_notices",
    "privacy",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.LecternUsersAppConfig",  # wagtail.users with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts and security
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.mfa",
    "axes",
    # Jobs
    "django_q",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "memberships.gating.PrivateResponseMiddleware",
    "api.middleware.UtcTimesMiddleware",
    # Last, so it sees the result of the authentication backends (axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.navigation",
                "privacy.consent.banner",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Database: SQLite by default, PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production keeps connections open (CONN_MAX_AGE=60 in .env.example): a new PostgreSQL
# connection per request costs more than most of our views. Health checks drop a
# connection the server closed (a restart) instead of failing the next request on it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# SQLite (the embedded default) under web and both job clusters writing at once:
# WAL lets readers and one writer work side by side; IMMEDIATE takes the write lock when a
# transaction begins, so two writers queue on the busy timeout instead of one failing with
# "database is locked" when it upgrades a read; synchronous=NORMAL is safe with WAL.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis through REDIS_URL.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="lectern"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database; with Redis they are read through it (cached_db), which
# spares every logged-in request a query (the video key endpoint is hit every few seconds
# by each viewer).
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db")

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any other backend runs.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
# Argon2id for every new or changed password. The others stay listed so existing hashes
# still verify; Django rewrites such a hash with Argon2 at the account's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
# Axes owns lockout (AXES_FAILURE_LIMIT below); allauth's own login throttle would
# otherwise fire first and hide axes' clearer message.
ACCOUNT_RATE_LIMITS = {
    "login_failed": None,
    # Its 30 logins a minute per address would refuse everyone behind one NAT after a
    # burst; accounts.lockout limits logins per pair, address and account instead.
    "login": None,
    # Password reset requests: per client address and per account (key = the email), so
    # the form can neither flood one inbox nor probe many addresses quickly.
    "reset_password": env("PASSWORD_RESET_RATE", default="20/h/ip,3/h/key"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# --- Staff MFA (accounts/staff_mfa.py, accounts/middleware.py) ---------------------------
# Everyone who can open the Wagtail or Django admin must have an authenticator and have
# used it in this session; the middleware guards every admin URL and hands the admins'
# own login and password-reset forms to allauth's. Not read from the environment: only
# the test settings switch it off, for the tests of other features.
STAFF_MFA_REQUIRED = True
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1,
    "accounts.middleware.StaffMFAMiddleware",
)
MFA_ADAPTER = "accounts.staff_mfa.StaffMFAAdapter"
# Security keys and passkeys (WebAuthn) count as a second factor too, beside the app;
# browsers offer them on https and on http://localhost.
MFA_SUPPORTED_TYPES = [*MFA_SUPPORTED_TYPES, "webauthn"]
# The name authenticator apps show beside the code (else the request's host name).
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Lectern")
# Codes an account may try at sign-in or re-authentication (django-ratelimit rate):
# allauth's own limit rides on "login_failed", which is off above.
MFA_CODE_RATE = env("MFA_CODE_RATE", default="5/5m")
MFA_FORMS = {
    "authenticate": "accounts.mfa_forms.AuthenticateForm",
    "reauthenticate": "accounts.mfa_forms.ReauthenticateForm",
}

GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env("GOOGLE_CLIENT_SECRET", default="")
SOCIALACCOUNT_PROVIDERS = {}
if GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET:
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET, "key": ""}],
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
    }
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

# --- Bot check on sign-up and password reset (challenges/) ------------------------------
# A self-hosted ALTCHA proof of work unless both Turnstile keys are set.
ACCOUNT_FORMS = {
    "signup": "accounts.allauth_forms.SignupForm",
    "reset_password": "accounts.allauth_forms.ResetPasswordForm",
}
# Signs ALTCHA challenges; empty means derived from SECRET_KEY.
ALTCHA_HMAC_KEY = env("ALTCHA_HMAC_KEY", default="")
# PBKDF2 rounds per try (about 256 tries per solve): a second or so in a browser.
ALTCHA_COST = env.int("ALTCHA_COST", default=5000)
ALTCHA_EXPIRY_SECONDS = env.int("ALTCHA_EXPIRY_SECONDS", default=20 * 60)
TURNSTILE_SITE_KEY = env("TURNSTILE_SITE_KEY", default="")
TURNSTILE_SECRET_KEY = env("TURNSTILE_SECRET_KEY", default="")
TURNSTILE_VERIFY_URL = env(
    "TURNSTILE_VERIFY_URL", default="https://challenges.cloudflare.com/turnstile/v0/siteverify"
)
# --- Account emails (account_notices/) -----------------------------------------------------
# allauth's messages, its security notifications, new sign-ins and lockouts all go through
# notifications.mail (accounts.adapters.AccountAdapter.send_mail).
ACCOUNT_EMAIL_NOTIFICATIONS = True

# --- Login lockout (accounts/lockout.py over django-axes) and the client's address --------
# Proxies whose X-Forwarded-For we believe (addresses or CIDR networks; "unix" for a Unix
# socket). None by default: behind deploy/nginx.conf set TRUSTED_PROXIES=127.0.0.1.
# config/client_ip.py is the one place that reads the header.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_network"
RATELIMIT_IP_META_KEY = "config.client_ip.client_network"  # django-ratelimit's key="ip"
# Three counters over axes' AccessAttempt rows, each with its own limit: failures for one
# (account, address) pair, for one address (any account), for one account (any address).
# accounts.lockout.LockoutHandler applies them; axes' single-limit check is off.
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_LOCK_OUT_AT_FAILURE = False
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)  # per (account, address)
LOCKOUT_ADDRESS_FAILURE_LIMIT = env.int("LOCKOUT_ADDRESS_FAILURE_LIMIT", default=100)
LOCKOUT_ACCOUNT_FAILURE_LIMIT = env.int("LOCKOUT_ACCOUNT_FAILURE_LIMIT", default=50)
# An account that signed in from an address within these days is "at home" there: the
# address and account limits do not lock it out from that address (the pair limit does).
LOCKOUT_KNOWN_ADDRESS_DAYS = env.int("LOCKOUT_KNOWN_ADDRESS_DAYS", default=30)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_attempt"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# A success clears only the signed-in account's failures from that address
# (LockoutHandler.reset_user_attempts), never another account's.
AXES_RESET_ON_SUCCESS = True
# Attempts refused during a lockout are not counted again, so the lock lifts when the
# page says it will, and hammering one locked account cannot fill the address counter.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# allauth's own limits (password reset requests …) count by the same client address.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"

# Internationalization
LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # npm packages we serve ourselves (package.json): {% static "vendor/hls.js/hls.min.js" %}
    ("vendor/hls.js", BASE_DIR / "node_modules" / "hls.js" / "dist"),
    ("vendor/altcha", BASE_DIR / "node_modules" / "altcha" / "dist"),
]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    # Any S3-compatible server: AWS, MinIO, Garage, R2 ... (AWS_S3_ENDPOINT_URL).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            # botocore would sign us-east-1 links with SigV2, which AWS has retired.
            "signature_version": "s3v4",
        },
    }

# Protected files: ebooks and lesson attachments (Wagtail documents) live in their own
# storage that no URL serves. Every download passes through Django, which asks the
# policy and then hands the bytes over as PROTECTED_FILES_SERVER says: "django" streams
# them, "nginx" answers with X-Accel-Redirect to nginx's internal /protected/ location,
# "s3" redirects to a presigned URL valid PROTECTED_URL_SECONDS.
# An empty value (as in .env.example) means the default, never the current directory.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default="") or BASE_DIR / "private-media")
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    # base_url points nowhere on purpose: no route or nginx location serves it.
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/private-files-are-never-served/"},
}
PROTECTED_URL_SECONDS = env.int("PROTECTED_URL_SECONDS", default=300)
# Lifetime of an ebook download link handed out by the API (learning.ebook_links).
EBOOK_LINK_SECONDS = env.int("EBOOK_LINK_SECONDS", default=300)
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **STORAGES["default"]["OPTIONS"],
            "location": "private",
            "default_acl": "private",
            "custom_domain": None,  # a CDN domain would serve unsigned URLs
            "querystring_auth": True,
            "querystring_expire": PROTECTED_URL_SECONDS,
            # botocore would otherwise presign us-east-1 URLs with the retired SigV2.
            "signature_version": "s3v4",
        },
    }
PROTECTED_FILES_SERVER = env("PROTECTED_FILES_SERVER", default="django")
if PROTECTED_FILES_SERVER not in {"django", "nginx", "s3"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PROTECTED_FILES_SERVER must be one of: django, nginx, s3.")
PROTECTED_FILES_NGINX_LOCATION = "/protected/"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Email
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Lectern <no-reply@lectern.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

# Jobs: django-q2 on the ORM broker by default, Redis when REDIS_URL is set.
Q_CLUSTER = {
    "name": "lectern",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=3600),
    "retry": env.int("Q_RETRY", default=3700),
    "max_attempts": 3,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": "Jobs",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# Wagtail
WAGTAIL_SITE_NAME = "Lectern"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "images.LecternImage"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_DOCUMENT_MODEL = "documents.LecternDocument"
# Never "direct" or "redirect": every document request must pass the access hook.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "epub", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
# Rich text in our API's StreamField JSON (block.get_api_representation) is display HTML,
# links resolved, never Wagtail's database HTML. Wagtail's own page API stays unmounted.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Avatars are served by us (an uploaded one, else Wagtail's bundled image): Gravatar would
# send a hash of every staff email to a third party and break offline.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Sentry only when a DSN is given; nothing is sent otherwise.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-guid says at INFO, on every request, that it made up a request id:
        # noise in the logs and measurable CPU on the video key endpoint.
        "django_guid": {"level": "WARNING"},
    },
}

# Payments
# Stripe Checkout is offered only when STRIPE_SECRET_KEY is set; the webhook refuses
# every event while STRIPE_WEBHOOK_SECRET is empty. STRIPE_API_BASE stays empty (the
# library's own https://api.stripe.com) except in tests, which point it at a fake.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# VNPay (payment URL 2.1.0) is offered at checkout only when its merchant code and hash
# secret are set. The defaults are VNPay's sandbox; production uses
# https://pay.vnpay.vn/vpcpay.html and https://merchant.vnpay.vn/merchant_webapi/api/transaction.
VNPAY_TMN_CODE = env("VNPAY_TMN_CODE", default="")
VNPAY_HASH_SECRET = env("VNPAY_HASH_SECRET", default="")
VNPAY_PAYMENT_URL = env("VNPAY_PAYMENT_URL", default="https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
VNPAY_API_URL = env("VNPAY_API_URL", default="https://sandbox.vnpayment.vn/merchant_webapi/api/transaction")
# MoMo ("captureWallet", API v2) is offered only when all three keys are set. The default
# endpoint is MoMo's test environment; production is https://payment.momo.vn.
MOMO_PARTNER_CODE = env("MOMO_PARTNER_CODE", default="")
MOMO_ACCESS_KEY = env("MOMO_ACCESS_KEY", default="")
MOMO_SECRET_KEY = env("MOMO_SECRET_KEY", default="")
MOMO_ENDPOINT = env("MOMO_ENDPOINT", default="https://test-payment.momo.vn")
# Seconds to wait for VNPay's, MoMo's and Stripe's APIs before giving up.
PAYMENT_API_TIMEOUT = env.int("PAYMENT_API_TIMEOUT", default=30)
# Shown to learners who pay by bank transfer; "\n" in the variable starts a new line.
BANK_TRANSFER_DETAILS = env.str(
    "BANK_TRANSFER_DETAILS",
    multiline=True,
    default=(
        "DEMO ONLY: replace with your bank's details (BANK_TRANSFER_DETAILS).\n"
        "Bank: Example Bank\nAccount name: Lectern Demo\nAccount number: 0000 0000 0000"
    ),
)

# Instructor earnings (monthly statements): instructors get this percentage of their
# courses' net single-course sales, and this percentage of the month's net subscription
# revenue is shared among instructors by the minutes watched in their courses.
INSTRUCTOR_COURSE_SALES_SHARE_PERCENT = env.int("INSTRUCTOR_COURSE_SALES_SHARE_PERCENT", default=70)
INSTRUCTOR_SUBSCRIPTION_SHARE_PERCENT = env.int("INSTRUCTOR_SUBSCRIPTION_SHARE_PERCENT", default=30)
EARNINGS_CURRENCY = env("EARNINGS_CURRENCY", default="VND")

# Media packaging (encrypted HLS)
# Content keys are wrapped under a master key from the environment; MEDIA_MASTER_KEYS
# lists every master key still needed ("id:<base64 of 32 bytes>,…"), MEDIA_MASTER_KEY_ID
# names the one new keys use. No default here: dev/test set a dev-only key, production
# refuses to start without one.
MEDIA_MASTER_KEYS = env("MEDIA_MASTER_KEYS", default="")
MEDIA_MASTER_KEY_ID = env("MEDIA_MASTER_KEY_ID", default="")
# Empty: the system ffmpeg, else the imageio-ffmpeg wheel's binary.
FFMPEG_BINARY = env("FFMPEG_BINARY", default="")
# Threads per ffmpeg encode (0: ffmpeg decides); keep 1-2 when web and worker share cores.
MEDIA_FFMPEG_THREADS = env.int("MEDIA_FFMPEG_THREADS", default=0)
# "one-process" (decode once, split to every rung) or "per-rung"; `python -m bench packaging`
# measures both; per-rung won on the 2-core reference machine.
MEDIA_LADDER_MODE = env("MEDIA_LADDER_MODE", default="per-rung")
# Long encodes run on their own cluster: `Q_CLUSTER_NAME=videos manage.py qcluster`.
# retry > timeout, so the broker never hands a still-running encode to a second worker.
# Always the ORM broker: a job a killed worker had taken comes back after `retry`
# (Redis's list pop would lose it). media_pipeline.tasks.enqueue writes there too.
Q_CLUSTER["ALT_CLUSTERS"] = {
    "videos": {
        "orm": "default",
        "workers": env.int("Q_VIDEO_WORKERS", default=1),
        "timeout": env.int("Q_VIDEO_TIMEOUT", default=4 * 3600),
        "retry": env.int("Q_VIDEO_RETRY", default=4 * 3600 + 600),
        "max_attempts": env.int("Q_VIDEO_MAX_ATTEMPTS", default=3),
        "queue_limit": 2,
        "bulk": 1,
    }
}

# Certificates
# Verification links (QR codes, credential ids) and the did:web issuer are built from
# this public address; empty means WAGTAILADMIN_BASE_URL.
CERTIFICATE_BASE_URL = (env("CERTIFICATE_BASE_URL", default="") or WAGTAILADMIN_BASE_URL).rstrip("/")
# Ed25519 private key that signs Open Badges credentials and the status list: PEM
# (PKCS#8) or the 32 raw bytes in base64. No default here: dev/test set a dev-only key,
# production refuses to start without one.
CERTIFICATE_SIGNING_KEY = env.str("CERTIFICATE_SIGNING_KEY", multiline=True, default="")
# The issuer's name in credentials and on the PDF.
CERTIFICATE_ISSUER_NAME = env("CERTIFICATE_ISSUER_NAME", default="Lectern")
# Verification lookups allowed per client IP (django-ratelimit rate), so numbers cannot
# be enumerated cheaply.
CERTIFICATE_VERIFY_RATE = env("CERTIFICATE_VERIFY_RATE", default="30/m")

# --- Operations: backups, monitoring, health, request ids, logs --------------------------
# Backups are encrypted with BACKUP_ENCRYPTION_KEY (base64 of 32 random bytes:
# `python -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())"`). Keep a
# copy of the key outside the server: without it no backup can be restored.
BACKUP_DIR = Path(env("BACKUP_DIR", default="") or BASE_DIR / "backups")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=3)
BACKUP_ENCRYPTION_KEY = env("BACKUP_ENCRYPTION_KEY", default="")
BACKUP_CHUNK_SIZE = env.int("BACKUP_CHUNK_SIZE", default=1024 * 1024)
BACKUP_S3_BUCKET = env("BACKUP_S3_BUCKET", default="")  # empty: local copies only
BACKUP_S3_PREFIX = env("BACKUP_S3_PREFIX", default="backups/")
BACKUP_S3_ENDPOINT_URL = env("BACKUP_S3_ENDPOINT_URL", default="") or env("AWS_S3_ENDPOINT_URL", default="")
BACKUP_S3_REGION = env("BACKUP_S3_REGION", default="") or env("AWS_S3_REGION_NAME", default="")
BACKUP_S3_ACCESS_KEY_ID = env("BACKUP_S3_ACCESS_KEY_ID", default="") or env("AWS_ACCESS_KEY_ID", default="")
BACKUP_S3_SECRET_ACCESS_KEY = env("BACKUP_S3_SECRET_ACCESS_KEY", default="") or env(
    "AWS_SECRET_ACCESS_KEY", default=""
)
ADMINS = [("Lectern admin", address) for address in env.list("ADMIN_EMAILS", default=[])]

# Monitoring: an incident opens above the threshold and closes below threshold - margin.
MONITOR_CPU_PERCENT = env.float("MONITOR_CPU_PERCENT", default=90.0)
MONITOR_MEMORY_PERCENT = env.float("MONITOR_MEMORY_PERCENT", default=90.0)
MONITOR_DISK_PERCENT = env.float("MONITOR_DISK_PERCENT", default=90.0)
MONITOR_DB_CONNECTIONS = env.float("MONITOR_DB_CONNECTIONS", default=80)
MONITOR_HYSTERESIS_MARGIN = env.float("MONITOR_HYSTERESIS_MARGIN", default=10.0)
MONITOR_DISK_PATH = Path(env("MONITOR_DISK_PATH", default="") or MEDIA_ROOT)
MONITOR_SAMPLE_DAYS = env.int("MONITOR_SAMPLE_DAYS", default=30)
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=90)

# Request ids: X-Request-ID is taken from the proxy when it is a valid UUID, otherwise
# made here; returned on every response, put on every log line and on error pages.
INSTALLED_APPS += ["django_guid"]
MIDDLEWARE.insert(0, "django_guid.middleware.guid_middleware")
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
    "INTEGRATIONS": [],
    "IGNORE_URLS": [],
}
if SENTRY_DSN:
    from operations.logging import SentryRequestIdIntegration

    DJANGO_GUID["INTEGRATIONS"] = [SentryRequestIdIntegration()]

# Logs: plain lines by default, JSON (python-json-logger) when LOG_JSON is on (production).
LOG_JSON = env.bool("LOG_JSON", default=False)
LOGGING["filters"] = {"request_id": {"()": "operations.logging.RequestIdFilter"}}
LOGGING["formatters"]["plain"] = {
    "()": "operations.logging.PlainFormatter",
    "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s",
}
LOGGING["formatters"]["json"] = {
    "()": "operations.logging.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
LOGGING["handlers"]["console"]["filters"] = ["request_id"]
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_JSON else "plain"
TEMPLATES[0]["OPTIONS"]["context_processors"].append("operations.context_processors.request_id")

# Analytics: page views are recorded by a middleware after Wagtail serves a page (one
# INSERT, no SELECT); raw events are deleted after ANALYTICS_RETENTION_DAYS; the stats
# panels recompute today's partial rollup when it is older than the max age.
ANALYTICS_ENABLED = env.bool("ANALYTICS_ENABLED", default=True)
ANALYTICS_RETENTION_DAYS = env.int("ANALYTICS_RETENTION_DAYS", default=180)
ANALYTICS_TODAY_MAX_AGE_SECONDS = env.int("ANALYTICS_TODAY_MAX_AGE_SECONDS", default=600)
ANALYTICS_VISITOR_COOKIE_AGE = 24 * 3600
MIDDLEWARE = [*MIDDLEWARE, "analytics.middleware.PageViewMiddleware"]

# Quizzes
# Seconds a timed attempt's answers may arrive after the deadline and still count: the
# network's delay only (the learner's countdown ends at the real deadline), not extra time.
QUIZ_TIME_GRACE_SECONDS = env.int("QUIZ_TIME_GRACE_SECONDS", default=5)

# Live sessions
# Jitsi on the public meet.jit.si is the provider when nothing else is configured, so
# scheduling works offline. JITSI_APP_ID + JITSI_APP_SECRET switch on signed join
# tokens (a self-hosted server with token auth). Google Meet needs either an OAuth
# refresh token or a service account with domain-wide delegation (see live/providers/google.py).
LIVE_JOIN_OPENS_MINUTES = env.int("LIVE_JOIN_OPENS_MINUTES", default=15)
# ORGANIZER of the .ics invitations; empty means the address in DEFAULT_FROM_EMAIL.
LIVE_ORGANIZER_EMAIL = env("LIVE_ORGANIZER_EMAIL", default="") or DEFAULT_FROM_EMAIL.split("<")[-1].strip(
    " >"
)
LIVE_PROVIDER_MAX_ATTEMPTS = env.int("LIVE_PROVIDER_MAX_ATTEMPTS", default=5)
LIVE_PROVIDER_RETRY_SECONDS = env.int("LIVE_PROVIDER_RETRY_SECONDS", default=60)
LIVE_MEET_LINK_POLLS = env.int("LIVE_MEET_LINK_POLLS", default=10)
LIVE_MEET_LINK_POLL_SECONDS = env.int("LIVE_MEET_LINK_POLL_SECONDS", default=15)
JITSI_BASE_URL = env("JITSI_BASE_URL", default="https://meet.jit.si")
JITSI_DOMAIN = env("JITSI_DOMAIN", default="")
JITSI_APP_ID = env("JITSI_APP_ID", default="")
JITSI_APP_SECRET = env("JITSI_APP_SECRET", default="")
JITSI_TOKEN_SECONDS = env.int("JITSI_TOKEN_SECONDS", default=300)
GOOGLE_CALENDAR_ID = env("GOOGLE_CALENDAR_ID", default="primary")
GOOGLE_OAUTH_CLIENT_ID = env("GOOGLE_OAUTH_CLIENT_ID", default="")
GOOGLE_OAUTH_CLIENT_SECRET = env("GOOGLE_OAUTH_CLIENT_SECRET", default="")
GOOGLE_CALENDAR_REFRESH_TOKEN = env("GOOGLE_CALENDAR_REFRESH_TOKEN", default="")
GOOGLE_SERVICE_ACCOUNT_FILE = env("GOOGLE_SERVICE_ACCOUNT_FILE", default="")
GOOGLE_CALENDAR_DELEGATED_USER = env("GOOGLE_CALENDAR_DELEGATED_USER", default="")

# Media playback (signed HLS, key endpoint, player)
# Playlist and key tokens live PLAYBACK_PLAYLIST_SECONDS; segment, poster and caption URLs
# PLAYBACK_SEGMENT_SECONDS, rounded up to PLAYBACK_URL_BUCKET_SECONDS so URLs issued in
# the same window are identical (memoised rewriting, CDN-friendly). The player renews
# expired URLs on its own (media_pipeline/playback.py explains the design).
PLAYBACK_PLAYLIST_SECONDS = env.int("PLAYBACK_PLAYLIST_SECONDS", default=3 * 3600)
PLAYBACK_SEGMENT_SECONDS = env.int("PLAYBACK_SEGMENT_SECONDS", default=20 * 60)
PLAYBACK_URL_BUCKET_SECONDS = env.int("PLAYBACK_URL_BUCKET_SECONDS", default=300)
# HMAC secret for playback tokens and signed file URLs; empty means derived from SECRET_KEY.
PLAYBACK_SIGNING_KEY = env("PLAYBACK_SIGNING_KEY", default="")
# How segment bytes leave: "django" (signed view), "nginx" (secure_link, see
# deploy/nginx.conf) or "s3" (presigned GETs); defaults to PROTECTED_FILES_SERVER.
PLAYBACK_FILES_SERVER = env("PLAYBACK_FILES_SERVER", default=PROTECTED_FILES_SERVER)
PLAYBACK_NGINX_LOCATION = "/hls/"
PLAYBACK_NGINX_SECRET = env("PLAYBACK_NGINX_SECRET", default="")
if PLAYBACK_FILES_SERVER not in {"django", "nginx", "s3"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PLAYBACK_FILES_SERVER must be one of: django, nginx, s3.")
if PLAYBACK_FILES_SERVER == "nginx" and not PLAYBACK_NGINX_SECRET:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PLAYBACK_FILES_SERVER=nginx needs PLAYBACK_NGINX_SECRET (as in nginx.conf).")
# Key requests per user (django-ratelimit rate). A player needs one per rendition switch.
PLAYBACK_KEY_RATE = env("PLAYBACK_KEY_RATE", default="120/m")
# Workers keep the lessons that playlist and key requests are checked against, reloading
# when content changes (media_pipeline/gate.py). Needs a cache shared by all processes.
PLAYBACK_GATE_CACHE = env.bool("PLAYBACK_GATE_CACHE", default=bool(REDIS_URL))

# Learning (enrollment, honest progress, sequential unlock)
# A heartbeat token older than this is refused (409 "expired", with a fresh token); the
# page issues one on load and every accepted beat renews it.
LEARNING_HEARTBEAT_TOKEN_MAX_AGE = env.int("LEARNING_HEARTBEAT_TOKEN_MAX_AGE", default=6 * 3600)
# Seconds of jitter allowed over the 2x top speed, granted once per viewing, not per beat.
LEARNING_HEARTBEAT_TOLERANCE_SECONDS = env.float("LEARNING_HEARTBEAT_TOLERANCE_SECONDS", default=3.0)

# The video key endpoint answers every playlist load of every viewer. It runs through
# these middleware only (config/handlers.py): request id, security headers, the session
# and the logged-in user. Everything else in MIDDLEWARE does nothing for a GET that
# returns 16 bytes. An empty LEAN_PATHS sends every request through the full list.
LEAN_PATHS = env.list("LEAN_PATHS", default=["/video/key/"])
LEAN_MIDDLEWARE = [
    path
    for path in MIDDLEWARE
    if path
    in {
        "django_guid.middleware.guid_middleware",
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    }
]

# --- Security headers: Content-Security-Policy, Permissions-Policy, COOP ------------------
# config/security.py sends them; every environment (dev and tests too) enforces the same
# policy, so a page that breaks under it breaks on a laptop first. Public pages: scripts
# only from our own static files or an inline <script nonce="{{ request.csp_nonce }}">,
# never 'unsafe-inline' scripts, inline handlers or javascript: URLs. Styles do allow
# 'unsafe-inline': progress bars size themselves with style="width: …", and the ALTCHA
# widget injects its stylesheet; an inline style runs no code, and getting one onto a page
# would already need an HTML injection that autoescaping refuses.
from urllib.parse import urlsplit  # noqa: E402

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

# Where media bytes may come from besides us: S3 (presigned segments, posters, images)
# when AWS_STORAGE_BUCKET_NAME is set, plus any origin listed in CSP_MEDIA_ORIGINS (a CDN).
CSP_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=[])
if AWS_STORAGE_BUCKET_NAME:
    for _url in (env("AWS_S3_CUSTOM_DOMAIN", default=""), env("AWS_S3_ENDPOINT_URL", default="")):
        if _url:
            _parts = urlsplit(_url if "//" in _url else f"https://{_url}")
            CSP_MEDIA_ORIGINS.append(f"{_parts.scheme}://{_parts.netloc}")
    if not env("AWS_S3_ENDPOINT_URL", default=""):
        CSP_MEDIA_ORIGINS.append("https://*.amazonaws.com")
# Players an editor may embed in a page body (EmbedBlock renders their iframe).
CSP_EMBED_ORIGINS = env.list(
    "CSP_EMBED_ORIGINS",
    default=["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
)
# VNPay's and MoMo's payment pages, where checkout sends the learner after its POST.
PAYMENT_PAGE_ORIGINS = [
    f"{_parts.scheme}://{_parts.netloc}"
    for _parts in (urlsplit(VNPAY_PAYMENT_URL), urlsplit(MOMO_ENDPOINT))
    if _parts.scheme in ("https", "http") and _parts.netloc
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *CSP_MEDIA_ORIGINS],
        # hls.js plays through Media Source Extensions (a blob: URL), runs its
        # transmuxer in a worker made from a blob, and gives each caption track an empty
        # "data:,WEBVTT" source that it fills with cues itself.
        "media-src": [SELF, "blob:", "data:", *CSP_MEDIA_ORIGINS],
        "connect-src": [SELF, "blob:", *CSP_MEDIA_ORIGINS],
        "worker-src": [SELF, "blob:"],
        "font-src": [SELF],
        "frame-src": [SELF, *CSP_EMBED_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Checkout and "Continue with Google" post here, then redirect to the provider
        # (the browser holds a form's redirect to form-action too).
        "form-action": [
            SELF,
            "https://checkout.stripe.com",
            "https://accounts.google.com",
            *PAYMENT_PAGE_ORIGINS,
        ],
        "frame-ancestors": [NONE],
    },
}
# Cloudflare Turnstile, when its keys are set (challenges/), loads its script and frame
# from Cloudflare; the self-hosted ALTCHA default needs nothing extra.
if env("TURNSTILE_SITE_KEY", default=""):
    for _directive in ("script-src", "frame-src", "connect-src"):
        CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append("https://challenges.cloudflare.com")
# Wagtail's admin has inline scripts without nonces (widget set-up, inline panels) and
# inline styles; its preview panel frames our own pages. Only these paths get it.
CSP_ADMIN_PATH_PREFIXES = ["/admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        # Embed and image choosers show the provider's thumbnail.
        "img-src": [SELF, "data:", "blob:", "https:"],
        "frame-ancestors": [SELF],
    },
}
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "config.security.ContentSecurityPolicyMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("config.security.ContentSecurityPolicyMiddleware") + 1,
    "config.security.PermissionsPolicyMiddleware",
)
# Features no page of ours uses are switched off, for us and anything we frame; the
# player needs fullscreen and picture-in-picture. Live sessions open Jitsi or Meet on
# their own site, so camera and microphone stay off here.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self"],
    "picture-in-picture": ["self"],
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # frame-ancestors says the same to browsers that read CSP
# The admin dashboard would ask releases.wagtail.org for the latest version on every
# load: a third-party call from staff browsers that nobody chose (and errors offline).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Audit trail (audit/): account security events kept this many days, then deleted
# by a daily job; admin actions stay in Wagtail's own audit log.
INSTALLED_APPS.insert(INSTALLED_APPS.index("demo"), "audit")
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)

# REST API v1 (api/ holds what every app's API shares; each app owns its serializers and
# views). Access tokens in the Authorization header; the schema is OpenAPI 3.1.
from datetime import timedelta  # noqa: E402

from corsheaders.defaults import default_headers  # noqa: E402

INSTALLED_APPS.insert(INSTALLED_APPS.index("demo"), "api")
INSTALLED_APPS += [
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
]
API_RATE_USER = env("API_RATE_USER", default="100/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.AccessTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.UserThrottle",
        "api.throttling.AnonThrottle",
        "api.throttling.ScopeThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": API_RATE_USER,
        "anon": env("API_RATE_ANON", default="100/min"),
        "login": env("API_RATE_LOGIN", default="10/min"),
        "register": env("API_RATE_REGISTER", default="5/hour"),
        "password_reset": env("API_RATE_PASSWORD_RESET", default="5/hour"),
        "coupon": env("API_RATE_COUPON", default="10/min"),
    },
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%SZ",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lectern API",
    "DESCRIPTION": (
        "Everything a learner does on Lectern, for apps and integrations. Sign in at "
        "`/api/v1/auth/login/` for an access token (15 minutes) and a refresh token (7 days, "
        "rotated on every use); send `Authorization: Bearer <access>`. Every error is "
        '`{"error": {"code", "message", "details", "request_id"}}`; every list is paginated '
        "(`count`, `next`, `previous`, `results`, and a `Link` header); POSTs that create accept an "
        "`Idempotency-Key`. Limits: 100 requests a minute per user, fewer on sign-in, sign-up and "
        "password reset; a 429 says when to retry in `Retry-After`."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        # memberships.policy's reasons: every one (access) and the refusing ones (locks, teasers).
        "AccessReasonEnum": "learning.api.serializers.ACCESS_CHOICES",
        "RefusalReasonEnum": "learning.api.serializers.REFUSAL_CHOICES",
        "PaymentProviderEnum": "memberships.models.PaymentProvider",
        "SubscriptionProviderEnum": "memberships.models.subscriptions.Provider",
    },
    "PREPROCESSING_HOOKS": ["api.schema.only_api_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("API_ACCESS_TOKEN_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("API_REFRESH_TOKEN_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # The API's sign-in sends Django's user_logged_in, which records the last login.
    "UPDATE_LAST_LOGIN": False,
    # Tokens carry a digest of the password hash: a password change refuses every token
    # issued before it, access tokens included, at no extra cost per request.
    "CHECK_REVOKE_TOKEN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env("API_SIGNING_KEY", default=SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}
# API sign-in (accounts/api_tokens.py, accounts/api/): a refresh token rotated this many
# seconds ago by a request racing the same client is refused without ending the sign-in;
# any later reuse of a rotated token ends the whole family (RFC 9700 §4.14).
API_REFRESH_RACE_SECONDS = env.int("API_REFRESH_RACE_SECONDS", default=10)
# How long the ticket from a password step stays good for the second-factor step.
API_MFA_TICKET_SECONDS = env.int("API_MFA_TICKET_SECONDS", default=300)
# Browser clients may keep the refresh token in this httpOnly, SameSite=Strict cookie,
# scoped to the auth routes (Secure unless DEBUG); refreshing from it needs CSRF.
API_REFRESH_COOKIE_NAME = env("API_REFRESH_COOKIE_NAME", default="lectern_refresh")
API_REFRESH_COOKIE_PATH = "/api/v1/auth/"
IDEMPOTENCY_TTL = 24 * 60 * 60  # seconds a key's first answer is replayed
IDEMPOTENCY_WAIT = 10  # seconds a duplicate waits for the first request's answer
# Other sites' browsers may call the API only from these origins (none by default).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = True
CORS_EXPOSE_HEADERS = ["Link", "Retry-After", "X-Request-ID", "Idempotent-Replayed"]
CORS_ALLOW_HEADERS = (*default_headers, "idempotency-key")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "corsheaders.middleware.CorsMiddleware"
)

# Privacy (privacy/): export, erasure, consent and retention. Every app declares its
# personal data in its own `privacy.py`; these are the periods the jobs apply.
PRIVACY_EXPORT_LINK_HOURS = env.int("PRIVACY_EXPORT_LINK_HOURS", default=72)
PRIVACY_ERASURE_GRACE_DAYS = env.int("PRIVACY_ERASURE_GRACE_DAYS", default=7)
PRIVACY_LOGIN_RECORD_DAYS = env.int("PRIVACY_LOGIN_RECORD_DAYS", default=90)
PRIVACY_UNVERIFIED_ACCOUNT_DAYS = env.int("PRIVACY_UNVERIFIED_ACCOUNT_DAYS", default=30)
PRIVACY_CONSENT_COOKIE = "lectern_consent"
PRIVACY_CONSENT_COOKIE_AGE = 180 * 24 * 3600  # ask again after six months
