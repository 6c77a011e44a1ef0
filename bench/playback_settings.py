"""Settings for the playback bench's second run: sessions read through the cache
(cached_db), to measure what that saves on the key endpoint."""

from config.settings.test import *  # noqa: F403

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
