"""The production settings with one path changed: static files are collected into the
test's own folder (STATIC_ROOT is otherwise the checkout's `staticfiles/`, which a test
must not overwrite). Used by test_headers_gunicorn.py only."""

import os

from config.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ["LECTERN_TEST_STATIC_ROOT"]
