"""The real app under gunicorn, on this test run's database, for tests that drive the API
from outside (schemathesis, the README's curl walk-through).

On SQLite gunicorn gets a file copy of the test database taken after the test built its
content (it cannot open the in-memory one); on PostgreSQL it uses the test database
itself, so the test must be transactional (`django_db(transaction=True, …)`) for the
server to see what it built. Redis, when the run uses it, is shared as configured.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from tests.operations.cluster_support import ROOT, ClusterDatabase

# High enough that one fuzzing run never meets them; the throttles still run on every
# request (tests/api/test_conventions.py covers the limits themselves).
GENEROUS_RATES = {
    "API_RATE_USER": "100000/min",
    "API_RATE_ANON": "100000/min",
    "API_RATE_LOGIN": "100000/min",
    "API_RATE_REGISTER": "100000/min",
    "API_RATE_PASSWORD_RESET": "100000/min",
    "API_RATE_COUPON": "100000/min",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(tmp_path: Path, **extra_env):
    """Yield the base URL of gunicorn (deploy/gunicorn.conf.py) serving this run's data."""
    database = ClusterDatabase(tmp_path)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database.url,
        # Tokens minted by the test are signed with its key.
        "SECRET_KEY": settings.SECRET_KEY,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "4",
        "LOG_JSON": "false",
        # Its own cache keys: rate counters of other runs on a shared Redis start elsewhere.
        "CACHE_KEY_PREFIX": f"lectern-live-app-{port}",
        **GENEROUS_RATES,
        **extra_env,
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start:\n{log.read_text()[-4000:]}") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
