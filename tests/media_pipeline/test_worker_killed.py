"""A packaging worker killed with SIGKILL mid-encode: the job comes back and finishes once.

This runs the real thing: `Q_CLUSTER_NAME=videos manage.py qcluster` as a subprocess
against this test's database (PostgreSQL as is; SQLite copied to a file the cluster
can open), kills the worker process that runs ffmpeg, and lets the broker hand the job
out again after `retry` seconds.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection

import psutil
import pytest

from media_pipeline import storage as store
from media_pipeline.models import Video

from .packaging_support import make_clip, output_names, stored_names, video_from

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT, RETRY = 40, 45


def _database(tmp_path: Path) -> tuple[str, str | None]:
    """(DATABASE_URL for the subprocesses, sqlite file path or None)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "cluster.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}", str(path)
    user = settings_dict["USER"] or "postgres"
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}", None


def _row(sqlite_path: str | None, video_id: int) -> dict:
    query = "SELECT status, storage_prefix, progress, stage, error_message FROM media_pipeline_video WHERE id = %s"
    if sqlite_path:
        with sqlite3.connect(sqlite_path, timeout=30) as db:
            row = db.execute(query.replace("%s", "?"), (video_id,)).fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(query, [video_id])
            row = cursor.fetchone()
    return dict(zip(["status", "storage_prefix", "progress", "stage", "error_message"], row, strict=True))


def _count(sqlite_path: str | None, table: str) -> int:
    query = f"SELECT COUNT(*) FROM {table}"  # noqa: S608 - fixed table names
    if sqlite_path:
        with sqlite3.connect(sqlite_path, timeout=30) as db:
            return db.execute(query).fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _ladder_ffmpeg(cluster: psutil.Process):
    for child in cluster.children(recursive=True):
        try:
            # Either ladder mode writes under <workdir>/ladder/; the first playable does not.
            if child.name().startswith("ffmpeg") and any("/ladder/" in arg for arg in child.cmdline()):
                return child
        except psutil.NoSuchProcess:
            continue
    return None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_mid_encode_retries_to_exactly_one_ready_video(private_root, tmp_path):
    source = make_clip(tmp_path / "long-lecture.mp4", seconds=24, size="640x360")
    video = video_from(source, title="Killed mid-encode")
    database_url, sqlite_path = _database(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "Q_CLUSTER_NAME": "videos",
        "Q_VIDEO_TIMEOUT": str(TIMEOUT),
        "Q_VIDEO_RETRY": str(RETRY),
        "MEDIA_FFMPEG_THREADS": "1",
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from media_pipeline.tasks import enqueue; enqueue({video.pk}, sync=False)",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    log = tmp_path / "qcluster.log"
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        parent = psutil.Process(cluster.pid)
        try:
            encoder = _wait(lambda: _ladder_ffmpeg(parent), 180, "the ladder encode to start")
        except AssertionError as error:
            raise AssertionError(f"{error}; cluster log:\n{log.read_text()[-3000:]}") from None
        worker = encoder.parent()
        assert _row(sqlite_path, video.pk)["status"] == "processing"
        worker.send_signal(signal.SIGKILL)
        # The encode dies with its worker (PR_SET_PDEATHSIG), nothing keeps writing.
        _wait(
            lambda: not encoder.is_running() or encoder.status() == psutil.STATUS_ZOMBIE, 10, "ffmpeg to die"
        )
        killed_state = _row(sqlite_path, video.pk)
        assert killed_state["status"] == "processing"

        final = _wait(
            lambda: (row := _row(sqlite_path, video.pk))["status"] in {"ready", "failed"} and row,
            RETRY + 150,
            "the retried job to finish",
        )
        # The job is acknowledged (removed from the queue) just after it returns.
        _wait(lambda: _count(sqlite_path, "django_q_ormq") == 0, 60, "the job to leave the queue")
    finally:
        os.killpg(cluster.pid, signal.SIGTERM)
        try:
            cluster.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(cluster.pid, signal.SIGKILL)
            cluster.wait()

    assert final["status"] == "ready", final
    assert final["progress"] == 100 and final["error_message"] == ""
    assert _count(sqlite_path, "media_pipeline_video") == 1
    assert _count(sqlite_path, "django_q_ormq") == 0  # done, not waiting to run a third time
    video = Video(pk=video.pk, public_id=video.public_id, storage_prefix=final["storage_prefix"])
    outputs = output_names(video)
    assert outputs and all(name.startswith(final["storage_prefix"]) for name in outputs)
    builds = store.list_folders(store.video_root(video.public_id))
    assert builds == [final["storage_prefix"]]  # neither the first playable nor the killed build
    assert len([n for n in stored_names(video) if n.startswith("video-sources/")]) == 1
    assert not list(Path(tempfile.gettempdir()).glob(f"lectern-pack-{video.public_id}-*"))
    # And what is there plays: every segment decrypts, durations add up.
    if sqlite_path:
        result = subprocess.run(
            [sys.executable, "manage.py", "verify_video", str(video.pk)],
            cwd=ROOT,
            env={k: v for k, v in env.items() if k != "Q_CLUSTER_NAME"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    else:
        from media_pipeline.verify import verify

        assert verify(Video.objects.get(pk=video.pk)).ok
    assert json.dumps(final)
