"""A finished course reaches the learner's inbox through the real job clusters.

The embedded default must hold under its own processes: here a learner finishes a
course in one process (as the web server would) that keeps writing afterwards, while
the jobs cluster (2 workers) renders the PDF and mails it and the videos cluster polls
its queue, all on one SQLite file (or, when the run uses PostgreSQL, on that). Before,
the PDF job failed with "database is locked", waited an hour for its retry and left an
orphan PDF behind.
"""

import subprocess
import sys
import uuid

import pytest

from learning.models import LessonPage
from tests.conftest import _subscribed
from tests.factories import build_course

from .cluster_support import (
    ROOT,
    ClusterDatabase,
    cluster_env,
    running,
    start_cluster,
    stop_left_over,
    wait_for,
)

# The learner's process: finish every lesson, then keep writing for a while (a web
# server with visitors), one short transaction every 50 ms.
FINISH_AND_KEEP_WRITING = """
import time
from django.contrib.auth import get_user_model
from django.utils import timezone
from learning.models import LessonPage
from learning.progress import complete_lesson
user = get_user_model().objects.get(pk={user_id})
for lesson in LessonPage.objects.filter(pk__in={lesson_ids}).order_by("path"):
    complete_lesson(user, lesson)
until = time.monotonic() + 15
while time.monotonic() < until:
    get_user_model().objects.filter(pk=user.pk).update(last_login=timezone.now())
    time.sleep(0.05)
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_clusters_deliver_one_certificate_while_every_process_writes(tiers, catalog, tmp_path):
    course = build_course(catalog, modules=1, lessons=2, title="Held under load", required_tier=tiers["gold"])
    learner = _subscribed("lan@example.test", "Lan Learner", tiers["gold"])
    lesson_ids = list(LessonPage.objects.descendant_of(course).values_list("pk", flat=True))
    database = ClusterDatabase(tmp_path)
    marker = uuid.uuid4().hex
    env = cluster_env(database, tmp_path, marker)
    jobs_log, videos_log = tmp_path / "jobs.log", tmp_path / "videos.log"
    jobs = start_cluster(env, jobs_log)
    videos = start_cluster(env, videos_log, name="videos")
    try:
        wait_for(lambda: running(jobs_log) and running(videos_log), 180, "both clusters to run", jobs_log)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                FINISH_AND_KEEP_WRITING.format(user_id=learner.pk, lesson_ids=lesson_ids),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=180,
        )

        def delivered():
            rows = database.rows(
                "SELECT pdf FROM certificates_certificate WHERE user_id = %s AND delivered_at IS NOT NULL",
                (learner.pk,),
            )
            sent = database.rows(
                "SELECT COUNT(*) FROM notifications_emaillog"
                " WHERE user_id = %s AND template = 'certificate_issued' AND status = 'sent'",
                (learner.pk,),
            )
            return rows and sent[0][0] == 1 and rows

        # Within a minute of the learner's process ending (the first try, not a retry).
        [(pdf_name,)] = wait_for(delivered, 60, "the certificate to be delivered", jobs_log)
    finally:
        for cluster in (jobs, videos):
            stop_left_over(cluster, marker)
        database.forget_jobs()

    log = jobs_log.read_text()
    assert "database is locked" not in log
    assert "Failed" not in log, log[-3000:]
    pdfs = sorted(path.name for path in (tmp_path / "private-media" / "certificates").iterdir())
    assert [f"certificates/{name}" for name in pdfs] == [pdf_name]  # one PDF, the one recorded
    kinds = database.rows(
        "SELECT kind FROM notifications_notification WHERE user_id = %s ORDER BY created_at, id",
        (learner.pk,),
    )
    about_certificates = [kind for (kind,) in kinds if kind.startswith("certificate_")]
    assert about_certificates == ["certificate_issued"]  # told once, and first of all
