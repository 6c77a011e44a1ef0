"""/readyz under load, beside /healthz, through gunicorn on loopback with wrk.

Load balancers poll readiness every few seconds from several nodes; it must stay in
the milliseconds even while the site is busy. This starts gunicorn (2 workers × 2
threads) on a fresh migrated database, then drives each endpoint with wrk for the same
time and connections, and prints requests/s and the latency percentiles side by side,
with the readyz/healthz p99 ratio (what the four dependency checks cost). First, one
client's requests in a row give the service time without queueing.

    .venv/bin/python -m bench readyz
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lectern_readyz_bench \\
        REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python -m bench readyz   # creates, drops that DB

Uses the dev settings with DEBUG off and CONN_MAX_AGE=60 as in production; SQLite in a temp folder unless DATABASE_URL is set.
"""

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.setup import drop_postgres_database, recreate_postgres_database

ROOT = Path(__file__).resolve().parent.parent
DURATION = "10s"
CONNECTIONS = 16
THREADS = 2
SEQUENTIAL = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(scratch: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(scratch / "media"),
        "PRIVATE_MEDIA_ROOT": str(scratch / "private"),
        # As in production (.env.example): workers keep their database connection.
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    return env


def _wrk(url: str) -> dict:
    out = subprocess.run(  # noqa: S603 - fixed arguments, loopback URL
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = {"raw": out}
    for percentile in ("50%", "90%", "99%"):
        match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        figures[percentile] = value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    figures["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    figures["non2xx"] = int(bad.group(1)) if bad else 0
    return figures


def _sequential(url: str) -> tuple[float, float]:
    """Median and p99 of one client's requests in a row: what one probe waits."""
    timings = []
    for _ in range(SEQUENTIAL):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="lectern-bench-readyz-"))
    env = _environment(scratch)
    print(
        f"database: {env['DATABASE_URL'].split('@')[-1]}; cache/broker: {env.get('REDIS_URL') or 'locmem/ORM'}"
    )
    postgres = recreate_postgres_database(env["DATABASE_URL"])
    try:
        _measure(env)
    finally:
        if postgres:
            drop_postgres_database(env["DATABASE_URL"])
        shutil.rmtree(scratch, ignore_errors=True)


def _measure(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=2",
            "--access-logfile=/dev/null",
            "--error-logfile=-",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=1) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not become ready")
        sequential = {path: _sequential(f"{base}{path}") for path in ("/healthz", "/readyz")}
        results = {path: _wrk(f"{base}{path}") for path in ("/healthz", "/readyz")}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(f"one client, {SEQUENTIAL} requests in a row (service time, no queueing):")
    for path, (median, p99) in sequential.items():
        print(f"  {path:<10} median {median:6.2f} ms   p99 {p99:6.2f} ms")
    print(f"wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION} --latency, gunicorn 2 workers × 2 threads, loopback")
    print(f"{'endpoint':<10}{'req/s':>10}{'p50 ms':>10}{'p90 ms':>10}{'p99 ms':>10}{'non-2xx':>9}")
    for path, figures in results.items():
        print(
            f"{path:<10}{figures['rps']:>10.0f}{figures['50%']:>10.2f}{figures['90%']:>10.2f}"
            f"{figures['99%']:>10.2f}{figures['non2xx']:>9}"
        )
    ratio = results["/readyz"]["99%"] / results["/healthz"]["99%"]
    print(f"readyz/healthz p99 ratio: {ratio:.2f}×")


if __name__ == "__main__":
    main()
