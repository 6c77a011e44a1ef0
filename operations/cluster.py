"""The django-q2 job cluster, stopped by its own parent process only.

`manage.py qcluster` (operations/management/commands/qcluster.py) runs this cluster.

Why: a process manager stops a program by signalling its whole process group (honcho,
Ctrl-C in a terminal) or its whole cgroup (systemd's default `KillMode=control-group`).
django-q2's sentinel keeps the default action for TERM, so a group TERM kills it and its
workers at once, in the middle of whatever they were doing. If the sentinel dies while
it waits on the cluster's stop event, the parent's `stop_event.set()` then waits forever
for that sleeper to wake (a multiprocessing Condition counts its sleepers), and the
cluster never exits until it is SIGKILLed; the job in flight waits for `retry` (an hour).

Here every child (sentinel, workers, pusher, monitor) ignores TERM and INT; the parent
alone reacts, and the sentinel stops the cluster in a bounded time:

1. the pusher stops taking jobs; jobs it had fetched but no worker started are handed
   back to the broker at once;
2. workers finish the job they run if it ends within `STOP_GRACE_SECONDS`;
3. a worker still busy after that is interrupted (SIGUSR1 raises SystemExit inside the
   job, so its transaction rolls back and its `finally` blocks run; SIGKILL if it does
   not leave) and its job is handed back, to run again as soon as a cluster is up.

"Handed back" means: on the ORM broker the job's row is unlocked (it had been locked
for `retry` seconds); on another broker (Redis) the job is queued again.

A job that fails is also offered again after `FAILED_RETRY_SECONDS` (ORM broker), not
after `retry`: `retry` must stay longer than the longest job, so a running job is never
handed to a second worker, but a job that has failed is no longer running.
"""

import logging
import os
import queue
import signal
import sys
import tempfile
from datetime import timedelta
from multiprocessing import current_process
from pathlib import Path
from time import monotonic, sleep

from django import db
from django.dispatch import receiver
from django.utils import timezone

from django_q.brokers.orm import ORM
from django_q.cluster import Cluster, Sentinel, get_mp_context
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signals import post_execute_in_worker, post_spawn, pre_execute
from django_q.signing import BadSignature, SignedPackage
from django_q.status import Stat

logger = logging.getLogger("django-q")

# Seconds a stopping cluster lets a running job finish before handing it back. With the
# rest of the stop this keeps the whole stop under 10 s (honcho waits 15, systemd 30).
STOP_GRACE_SECONDS = 4.0
# Seconds an interrupted worker gets to unwind its job before it is killed.
INTERRUPT_GRACE_SECONDS = 2.0
FAILED_RETRY_SECONDS = 30

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# Set in the sentinel before it forks its workers: where each worker notes its job.
_in_flight_dir: Path | None = None


class JobInterrupted(SystemExit):
    """Raised inside a job when the stopping cluster hands it back (see SIGUSR1 above).

    SystemExit, not Exception: the job's own `except Exception` does not swallow it, and
    django-q2's worker does not record it as a failure; the worker process simply ends.
    """


def _ignore_stop_signal(signum, frame) -> None:
    """TERM/INT in a child: the parent process got it too and orchestrates the stop.

    A Python handler rather than SIG_IGN: programs a job starts (ffmpeg) get their
    default handling back when they exec, whereas an ignored signal would stay ignored.
    """


def _interrupt_job(signum, frame) -> None:
    raise JobInterrupted(3)


class LecternCluster(Cluster):
    """django-q2's Cluster; its sentinel leaves stopping to this process."""

    def start(self) -> int:
        # The sentinel must never run with the default TERM action, not even between the
        # fork and its own setup: block TERM/INT across the fork (the mask is inherited),
        # and let each process take what arrived once its handlers are in place.
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            return self._start()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)

    def _start(self) -> int:
        # django_q.cluster.Cluster.start (django-q2 1.11), with our sentinel.
        self.stop_event = get_mp_context().Event()
        self.start_event = get_mp_context().Event()
        self.sentinel = get_mp_context().Process(
            target=LecternSentinel,
            name=f"Process-{self.cluster_id.hex}",
            args=(self.stop_event, self.start_event, self.cluster_id, self.broker, self.timeout),
        )
        self.sentinel.start()
        logger.info("Q Cluster %s starting.", self.name)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        while self.start_event and not self.start_event.is_set():
            if not self.sentinel.is_alive():
                if self.sentinel.exitcode == 0:
                    break
                raise RuntimeError(
                    f"Q Cluster {self.name} failed to start: sentinel exited with code {self.sentinel.exitcode}"
                )
            sleep(0.1)
        return self.pid

    def sig_handler(self, signum, frame) -> None:
        if self.sentinel is None:  # before the cluster started: nothing to stop
            sys.exit(0)
        super().sig_handler(signum, frame)


class LecternSentinel(Sentinel):
    """django-q2's Sentinel; it and its children ignore TERM/INT, and its stop is bounded."""

    def __init__(self, stop_event, start_event, cluster_id, broker=None, timeout=None, start=True):
        global _in_flight_dir
        super().__init__(stop_event, start_event, cluster_id, broker, timeout, start=False)
        # Inherited by every worker, the pusher and the monitor forked from here.
        for signum in _STOP_SIGNALS:
            signal.signal(signum, _ignore_stop_signal)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        _in_flight_dir = Path(tempfile.mkdtemp(prefix="lectern-qcluster-"))
        if start:
            self.start()

    def stop(self) -> None:
        name = current_process().name
        logger.info("%s stopping cluster processes", name)
        deadline = monotonic() + STOP_GRACE_SECONDS
        Stat(self).save()
        self.event_out.set()
        while self.pusher.is_alive():
            sleep(0.1)
        self._hand_back_waiting_jobs()
        for _ in self.pool:
            self.task_queue.put("STOP")
        self._wait_for_workers(deadline)
        busy = [process for process in self.pool if process.is_alive()]
        for process in busy:
            self._interrupt(process)
        self._wait_for_workers(monotonic() + INTERRUPT_GRACE_SECONDS)
        for process in self.pool:
            if process.is_alive():
                logger.warning("%s: worker %s did not leave its job; killing it", name, process.pid)
                process.kill()
                process.join()
        for process in busy:
            self._hand_back_job_of(process.pid)
        self.pool = []
        self.task_queue.cancel_join_thread()  # pills left by killed workers need no reader
        self.task_queue.close()
        self.result_queue.put("STOP")
        self.result_queue.close()
        self.result_queue.join_thread()
        self.monitor.join(timeout=5)
        if self.monitor.is_alive():
            self.monitor.kill()
        Stat(self).save()
        if _in_flight_dir:
            for leftover in _in_flight_dir.iterdir():
                leftover.unlink(missing_ok=True)
            _in_flight_dir.rmdir()

    def _wait_for_workers(self, deadline: float) -> None:
        while monotonic() < deadline and any(process.is_alive() for process in self.pool):
            sleep(0.1)
            Stat(self).save()

    def _interrupt(self, process) -> None:
        if not _in_flight_path(process.pid).exists():
            return  # between jobs (passing a result on): it leaves by itself, or is killed
        logger.info("worker %s is interrupted; its job will run again", process.pid)
        try:
            os.kill(process.pid, signal.SIGUSR1)
        except ProcessLookupError:
            pass

    def _hand_back_waiting_jobs(self) -> None:
        """Jobs the pusher fetched that no worker started go back to the broker now."""
        while True:
            try:
                task = self.task_queue.get(timeout=0.2)
            except queue.Empty:
                return
            if task != "STOP":
                hand_back(self.broker, task)

    def _hand_back_job_of(self, pid: int) -> None:
        path = _in_flight_path(pid)
        try:
            task = SignedPackage.loads(path.read_text())
        except (FileNotFoundError, BadSignature):
            return
        hand_back(self.broker, task)
        path.unlink(missing_ok=True)


def hand_back(broker, task: dict) -> None:
    """Make a job the cluster had taken available again at once."""
    ack_id = task.get("ack_id")
    if isinstance(broker, ORM) and ack_id:
        db.close_old_connections()
        OrmQ.objects.using(Conf.ORM).filter(pk=ack_id).update(lock=timezone.now())
    else:
        task = {key: value for key, value in task.items() if key not in {"ack_id", "cluster"}}
        broker.enqueue(SignedPackage.dumps(task))
    logger.info("handed back job %s (%s)", task.get("name"), task.get("func"))


def _in_flight_path(pid: int) -> Path:
    return (_in_flight_dir or Path(tempfile.gettempdir())) / f"{pid}.job"


@receiver(post_spawn, dispatch_uid="operations.cluster.worker_spawned")
def _worker_spawned(sender, proc_name, **kwargs) -> None:
    if _in_flight_dir:
        signal.signal(signal.SIGUSR1, _interrupt_job)


@receiver(pre_execute, dispatch_uid="operations.cluster.job_started")
def _job_started(sender, func, task, **kwargs) -> None:
    """Note the job this worker runs, so a stopping sentinel can hand it back."""
    if _in_flight_dir and not task.get("sync"):
        _in_flight_path(os.getpid()).write_text(SignedPackage.dumps(task))


@receiver(post_execute_in_worker, dispatch_uid="operations.cluster.job_finished")
def _job_finished(sender, func, task, **kwargs) -> None:
    if not _in_flight_dir or task.get("sync"):
        return
    _in_flight_path(os.getpid()).unlink(missing_ok=True)
    ack_id = task.get("ack_id")
    if not task.get("success") and ack_id and Conf.ORM:
        # A failed job is done: offer it again soon, not after `retry` (see above). The
        # monitor still counts the attempt and drops the job after `max_attempts`.
        OrmQ.objects.using(Conf.ORM).filter(pk=ack_id).update(
            lock=timezone.now() + timedelta(seconds=FAILED_RETRY_SECONDS)
        )
