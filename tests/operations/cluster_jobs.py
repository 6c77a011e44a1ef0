"""Jobs the cluster tests queue (imported by the cluster, by dotted name)."""

import time
from pathlib import Path


def long_then_quick(log_path: str) -> None:
    """Runs for a minute the first time (the cluster is stopped meanwhile), at once after.

    Each run notes "start" and, if it gets there, "done" in `log_path`.
    """
    log = Path(log_path)
    first = not log.exists()
    with log.open("a") as out:
        out.write("start\n")
    if first:
        time.sleep(60)
    with log.open("a") as out:
        out.write("done\n")


def fails_once(log_path: str) -> None:
    """Fails the first time it runs, succeeds after; notes each run in `log_path`."""
    log = Path(log_path)
    first = not log.exists()
    with log.open("a") as out:
        out.write("failed\n" if first else "done\n")
    if first:
        raise RuntimeError("the first try fails")
