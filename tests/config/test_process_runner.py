"""`make run` stops everything it started, however it is stopped.

It runs the Procfile under honcho through `make serve` (the same line `make run` ends
with). Ctrl-C signals the terminal's whole foreground process group, a process manager
or `kill` sends TERM to make alone, and closing the terminal hangs it up (HUP to the
foreground group, and output to it starts failing). After each, no process that `make`
started may be left and the port must be free for the next `make run`; where the
terminal is still there to read, honcho's own report shows that no process had to be
SIGKILLed.
"""

import os
import pty
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _processes_with(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("LECTERN_RUN_MARKER") == marker:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated SQLite file the web server and the clusters can share."""
    path = tmp_path_factory.mktemp("run") / "db.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": f"sqlite:///{path}"}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return path


def _start(database, port, marker):
    """`make serve` as a terminal would run it: its own session, a pty as the terminal."""
    _OUTPUT.clear()
    controller, terminal = pty.openpty()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "LECTERN_RUN_MARKER": marker,
        "PORT": str(port),
        "Q_WORKERS": "1",
        "Q_VIDEO_WORKERS": "1",
    }
    env.pop("REDIS_URL", None)
    env.pop("MAKEFLAGS", None)
    make = subprocess.Popen(
        [
            shutil.which("make") or "make",
            "--no-print-directory",
            "serve",
            f"PORT={port}",
            f"PY={sys.executable}",
        ],
        cwd=ROOT,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
    )
    os.close(terminal)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        _drain(controller)
        # Up means: the web server answers and both job clusters are running.
        clusters = [p for p in _processes_with(marker) if "qcluster" in " ".join(p.cmdline())]
        if _port_answers(port) and len(clusters) >= 2:
            return make, controller
        assert make.poll() is None, f"make serve exited while starting:\n{_last_output()}"
        time.sleep(0.5)
    raise AssertionError("make serve did not come up within 90 s")


_OUTPUT: list[bytes] = []


def _drain(controller) -> None:
    """Keep reading the terminal (a full pty would block the processes writing to it)."""
    import select

    while select.select([controller], [], [], 0)[0]:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            return
        if not chunk:
            return
        _OUTPUT.append(chunk)
        del _OUTPUT[:-40]


def _last_output() -> str:
    return b"".join(_OUTPUT).decode(errors="replace")[-3000:]


def _wait_for_stop(make, controller, marker, port) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if controller is not None:
            _drain(controller)
        if make.poll() is not None and not _processes_with(marker) and not _port_answers(port):
            return
        time.sleep(0.3)
    left = [(p.pid, " ".join(p.cmdline())[:80]) for p in _processes_with(marker)]
    for process in _processes_with(marker):
        process.kill()
    raise AssertionError(f"left behind after stopping: make exited={make.poll()}, processes={left}")


@pytest.mark.parametrize("how", ["ctrl-c", "term", "hangup"])
def test_stopping_make_serve_leaves_no_process_behind(database, how):
    marker, port = uuid.uuid4().hex, _free_port()
    make, controller = _start(database, port, marker)
    assert len(_processes_with(marker)) >= 4  # make, honcho, web (+ reloader child), clusters

    if how == "ctrl-c":
        os.killpg(make.pid, signal.SIGINT)
    elif how == "term":
        make.send_signal(signal.SIGTERM)
    else:
        # The terminal goes away: writes to it fail from now on, and the foreground
        # process group is hung up.
        os.close(controller)
        controller = None
        os.killpg(make.pid, signal.SIGHUP)

    _wait_for_stop(make, controller, marker, port)
    if controller is not None:
        # And nothing was killed: every process left on honcho's TERM (the job clusters
        # stop their own workers), none needed the SIGKILL honcho sends to stragglers.
        output = b"".join(_OUTPUT).decode(errors="replace")
        assert "SIGKILL" not in output, output[-3000:]
        for cluster in ("jobs.1", "videos.1"):
            assert f"{cluster} stopped (rc=0)" in output, output[-3000:]
