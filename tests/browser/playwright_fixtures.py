"""Playwright driving Debian's chromium (never a downloaded browser).

Loaded once for the whole suite from tests/conftest.py (`pytest_plugins`), so every
browser test anywhere under tests/ shares the one session-wide browser: a second
`sync_playwright()` in the same thread refuses to start while the first one runs."""

import contextlib
import os
import shutil
import threading
import time

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# "inside" it unless told that this test process knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _LiveServerRequests:
    """Counts requests the live server is handling, so a test can wait until the browser's
    parting requests (the player's and live page's pagehide beacons, which Playwright does
    not report) are done before the next test resets the database. Otherwise they land
    mid-reset and SQLite's shared in-memory test database says "table is locked"."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    def wrap(self, app):
        def counted(environ, start_response):
            with self.lock:
                self.count += 1
            try:
                return app(environ, start_response)
            finally:
                with self.lock:
                    self.count -= 1

        return counted

    def wait_until_idle(self, grace=0.2, timeout=10):
        time.sleep(grace)  # a beacon sent as the page left is still on the wire
        deadline = time.monotonic() + timeout
        while self.count and time.monotonic() < deadline:
            time.sleep(0.02)


live_server_requests = _LiveServerRequests()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, with its requests counted (see _LiveServerRequests)."""
    httpd = live_server.thread.httpd
    httpd.set_app(live_server_requests.wrap(httpd.get_app()))
    return live_server


@contextlib.contextmanager
def browser_context(browser, **options):
    """A browser context that, when done, leaves its pages (firing their pagehide
    beacons), waits for the live server to finish what they sent, then closes."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**options)
    try:
        yield context
    finally:
        for open_page in context.pages:
            with contextlib.suppress(Exception):
                open_page.goto("about:blank")
        context.close()
        live_server_requests.wait_until_idle()


@pytest.fixture
def page(chromium):
    with browser_context(chromium) as context:
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
