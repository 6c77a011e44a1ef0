"""Real `manage.py qcluster` processes against this test run's database.

On SQLite the clusters get a file copy of the test database (they cannot open the
in-memory one); on PostgreSQL they use the test database itself. Rows are read and jobs
queued with a connection of our own (sqlite3 / psycopg, autocommit), so what the
clusters see is exactly what was committed.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

import psutil
import psycopg
from django_q.signing import SignedPackage

ROOT = Path(__file__).resolve().parents[2]


class ClusterDatabase:
    def __init__(self, tmp_path: Path):
        settings_dict = connection.settings_dict
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.path = tmp_path / "cluster.sqlite3"
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
        else:
            self.path = None
            user = settings_dict["USER"] or "postgres"
            host = settings_dict["HOST"] or "127.0.0.1"
            port = settings_dict["PORT"] or 5432
            self.url = f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"
            self.dsn = f"dbname={settings_dict['NAME']} user={user} host={host} port={port}"

    def rows(self, query: str, params=()) -> list[tuple]:
        if self.path:
            with sqlite3.connect(self.path, timeout=30) as db:
                return db.execute(query.replace("%s", "?"), params).fetchall()
        with psycopg.connect(self.dsn, autocommit=True) as db:
            return db.execute(query, params).fetchall()

    def execute(self, query: str, params=()) -> None:
        if self.path:
            with sqlite3.connect(self.path, timeout=30) as db:
                db.execute(query.replace("%s", "?"), params)
            return
        with psycopg.connect(self.dsn, autocommit=True) as db:
            db.execute(query, params)

    def enqueue(self, func: str, *args, queue: str = "lectern") -> str:
        """Queue a job on the ORM broker the way `async_task` does; returns its task id."""
        task_id = uuid.uuid4().hex
        task = {"id": task_id, "name": f"test-{task_id[:8]}", "func": func, "args": args, "kwargs": {}}
        task["started"] = timezone.now()
        lock = timezone.now() - timedelta(seconds=1)
        if self.path:
            lock = connection.ops.adapt_datetimefield_value(lock)
        self.execute(
            "INSERT INTO django_q_ormq (key, payload, lock) VALUES (%s, %s, %s)",
            (queue, SignedPackage.dumps(task), lock),
        )
        return task_id

    def forget_jobs(self) -> None:
        """On PostgreSQL the clusters committed to the shared test database: clean up."""
        if not self.path:
            for table in ("django_q_ormq", "django_q_task"):
                self.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def queued_jobs(self, queue: str = "lectern") -> list[dict]:
        """The broker's rows: which job, and whether a cluster may take it now."""
        now = timezone.now()
        jobs = []
        for payload, lock in self.rows("SELECT payload, lock FROM django_q_ormq WHERE key = %s", (queue,)):
            if isinstance(lock, str):
                lock = datetime.fromisoformat(lock).replace(tzinfo=UTC)
            jobs.append({"task": SignedPackage.loads(payload), "available": lock <= now})
        return jobs


def cluster_env(database: ClusterDatabase, tmp_path: Path, marker: str, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database.url,
        # Jobs queued by this test are signed with its key.
        "SECRET_KEY": settings.SECRET_KEY,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private-media"),
        "LECTERN_RUN_MARKER": marker,
        "Q_WORKERS": "2",
        "Q_VIDEO_WORKERS": "1",
        **extra,
    }
    env.pop("REDIS_URL", None)  # the ORM broker, whose queue this test can read
    env.pop("Q_CLUSTER_NAME", None)
    return env


def start_cluster(env: dict, log: Path, name: str = "") -> subprocess.Popen:
    """`manage.py qcluster` as a process manager starts it: its own process group."""
    if name:
        env = {**env, "Q_CLUSTER_NAME": name}
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def processes_with(marker: str) -> list[psutil.Process]:
    """Every live process started with this marker in its environment."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("LECTERN_RUN_MARKER") == marker:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def children_of(cluster: subprocess.Popen) -> list[psutil.Process]:
    try:
        return psutil.Process(cluster.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def wait_for(predicate, seconds: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = f"\ncluster log:\n{log.read_text()[-4000:]}" if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}{tail}")


def running(log: Path) -> bool:
    return log.exists() and "running." in log.read_text()


def stop_left_over(cluster: subprocess.Popen, marker: str) -> None:
    """After a test: nothing it started may outlive it, whatever the test saw."""
    if cluster.poll() is None:
        os.killpg(cluster.pid, signal.SIGTERM)
        try:
            cluster.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    for process in processes_with(marker):
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    if cluster.poll() is None:
        os.killpg(cluster.pid, signal.SIGKILL)
    cluster.wait(timeout=30)
