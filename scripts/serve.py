"""Runs the Procfile (web server, job cluster, video cluster) with honcho for `make run`.

honcho starts each process in its own session and stops them as a group, so the
autoreloader's child and the cluster's workers go too; if one process dies, the others
are stopped. Each job cluster stops its own workers within 10 s of the group's TERM
(operations/cluster.py); honcho would SIGKILL whatever still runs 5 s after it sent TERM,
so it waits 15 s here and, normally, kills nothing.

honcho handles INT (Ctrl-C) and TERM (a process manager, `kill`), not HUP,
which a closing terminal sends: HUP is turned into honcho's own TERM path here, after
pointing our output at /dev/null, because writing to a hung-up terminal fails and would
end this process before it stops its children.
"""

import os
import signal
import sys

from honcho import manager as honcho_manager
from honcho.command import main as honcho

# Seconds between honcho's TERM and its SIGKILL (honcho has no option for it).
STOP_WAIT_SECONDS = 15


def _hang_up(signum, frame):
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.kill(os.getpid(), signal.SIGTERM)


if __name__ == "__main__":
    signal.signal(signal.SIGHUP, _hang_up)
    honcho_manager.KILL_WAIT = STOP_WAIT_SECONDS
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    sys.stdout.write(
        f"Lectern is at http://{host}:{port}/  (admin: http://{host}:{port}/admin/)  Ctrl-C stops it.\n"
    )
    sys.stdout.flush()
    honcho(["start", "--procfile", "Procfile", "--port", port, *sys.argv[1:]])
