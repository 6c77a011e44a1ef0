"""`manage.py qcluster` stops within 10 s of TERM or Ctrl-C, at any moment of its life.

Process managers signal a program's whole process group (honcho, a terminal's Ctrl-C)
or cgroup (systemd), not just its first process. These tests start the real cluster in
its own process group, signal it the way each of them does, and look at what is left:
no process of the cluster (not even a zombie), and the job that was running either
finished or handed back, so that the next cluster runs it at once rather than after
`Q_RETRY` (an hour).
"""

import os
import signal
import subprocess
import time
import uuid

import psutil
import pytest

from .cluster_support import (
    ClusterDatabase,
    children_of,
    cluster_env,
    running,
    start_cluster,
    stop_left_over,
    wait_for,
)

STOP_SECONDS = 10
JOB = "tests.operations.cluster_jobs.long_then_quick"


@pytest.fixture
def database(transactional_db, tmp_path):
    database = ClusterDatabase(tmp_path)
    yield database
    database.forget_jobs()


@pytest.fixture
def marker():
    return uuid.uuid4().hex


def _signal(cluster: subprocess.Popen, how: str) -> None:
    if how == "group TERM":
        os.killpg(cluster.pid, signal.SIGTERM)
    elif how == "TERM to its pid":
        cluster.send_signal(signal.SIGTERM)
    else:  # Ctrl-C: the terminal interrupts its whole foreground group
        os.killpg(cluster.pid, signal.SIGINT)


def _assert_stopped(cluster: subprocess.Popen, family: list[psutil.Process], log) -> None:
    try:
        cluster.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        raise AssertionError(
            f"qcluster still runs {STOP_SECONDS} s after the signal:\n{log.read_text()[-3000:]}"
        ) from None
    left = []
    for process in family:
        try:
            if process.is_running():
                left.append(f"{process.pid} {process.status()}")
        except psutil.NoSuchProcess:
            continue
    assert left == [], f"left behind: {left}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("moment", ["while starting", "1 s after it runs", "8 s after it runs"])
def test_a_group_term_stops_the_cluster_and_all_its_processes(database, tmp_path, marker, moment):
    log = tmp_path / "qcluster.log"
    cluster = start_cluster(cluster_env(database, tmp_path, marker), log)
    try:
        if moment == "while starting":
            wait_for(lambda: children_of(cluster), 120, "the sentinel to be forked", log)
        else:
            wait_for(lambda: running(log), 120, "the cluster to run", log)
            time.sleep(1 if moment.startswith("1 s") else 8)
        family = children_of(cluster)
        _signal(cluster, "group TERM")
        _assert_stopped(cluster, family, log)
        assert cluster.returncode in {0, -signal.SIGTERM}
    finally:
        stop_left_over(cluster, marker)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("how", ["group TERM", "TERM to its pid", "Ctrl-C"])
def test_a_job_in_flight_is_handed_back_when_the_cluster_stops(database, tmp_path, marker, how):
    job_log = tmp_path / "job.log"
    task_id = database.enqueue(JOB, str(job_log))
    env = cluster_env(database, tmp_path, marker)
    log = tmp_path / "qcluster.log"
    cluster = start_cluster(env, log)
    try:
        wait_for(job_log.exists, 120, "the job to start", log)
        family = children_of(cluster)
        _signal(cluster, how)
        _assert_stopped(cluster, family, log)

        assert job_log.read_text() == "start\n"  # interrupted, not finished
        jobs = database.queued_jobs()
        assert [job["task"]["id"] for job in jobs] == [task_id]
        assert jobs[0]["available"], "the job stays locked until Q_RETRY"
        if how != "group TERM":
            return
        # The next cluster runs it at once (Q_RETRY is an hour here).
        cluster = start_cluster(env, log)
        wait_for(lambda: "done" in job_log.read_text(), 120, "the handed-back job to run again", log)
        wait_for(lambda: not database.queued_jobs(), 30, "the job to be acknowledged", log)
        family = children_of(cluster)
        _signal(cluster, how)
        _assert_stopped(cluster, family, log)
        assert job_log.read_text() == "start\nstart\ndone\n"
    finally:
        stop_left_over(cluster, marker)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_job_is_tried_again_soon_not_after_q_retry(database, tmp_path, marker):
    job_log = tmp_path / "job.log"
    database.enqueue("tests.operations.cluster_jobs.fails_once", str(job_log))
    log = tmp_path / "qcluster.log"
    cluster = start_cluster(cluster_env(database, tmp_path, marker), log)
    try:
        wait_for(job_log.exists, 120, "the first try", log)
        # Q_RETRY is an hour; the second try comes about 30 s after the first failed.
        wait_for(lambda: "done" in job_log.read_text(), 90, "the second try", log)
        wait_for(lambda: not database.queued_jobs(), 30, "the job to be acknowledged", log)
        assert job_log.read_text() == "failed\ndone\n"
    finally:
        stop_left_over(cluster, marker)
