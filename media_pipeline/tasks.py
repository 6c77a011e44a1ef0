"""Queueing packaging on the `videos` job cluster.

Encodes run for minutes to hours, so they get their own django-q2 cluster
(`Q_CLUSTER["ALT_CLUSTERS"]["videos"]`, started with `Q_CLUSTER_NAME=videos manage.py
qcluster`) whose `retry` is longer than its `timeout`: the broker never hands an encode
that is still running to a second worker. A worker killed mid-encode is retried after
`retry` seconds, and `packaging.package` cleans up what the dead run left.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from django_q.brokers.orm import ORM
from django_q.tasks import async_task

from .failures import tell_course_team
from .models import Video, VideoStatus
from .packaging import package

VIDEOS_CLUSTER = "videos"


def queue_packaging(video: Video) -> None:
    """Mark the video queued and hand it to the videos cluster once the transaction commits.

    In tests (`Q_CLUSTER["sync"]`) the task runs in-process at commit time.
    """
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.QUEUED,
        progress=0,
        stage="Waiting for a packaging worker",
        error_message="",
        updated_at=timezone.now(),
    )
    video.status, video.progress, video.error_message = VideoStatus.QUEUED, 0, ""
    transaction.on_commit(lambda: enqueue(video.pk))


def enqueue(video_id: int, **options) -> str:
    """Put one packaging job on the videos cluster; returns the django-q task id."""
    return async_task(
        "media_pipeline.tasks.package_video_task",
        video_id,
        cluster=VIDEOS_CLUSTER,
        task_name=f"package-video-{video_id}-{timezone.now():%Y%m%d%H%M%S%f}",
        group="package-video",
        hook="media_pipeline.tasks.packaging_finished",
        broker=ORM(list_key=VIDEOS_CLUSTER),
        **options,
    )


def package_video_task(video_id: int) -> str:
    """The job: package the video; returns its final status for the task log. A video
    that failed for good while published lessons show it is reported to their team."""
    if not Video.objects.filter(pk=video_id).exists():
        return "deleted"
    try:
        return package(video_id).status
    finally:
        tell_course_team(video_id)


def packaging_finished(task) -> None:
    """django-q hook: a job that died without saying so (time limit, crash) fails the video,
    so the editor sees a reason and can package again instead of a bar stuck forever."""
    if task.success or not task.args:
        return
    failed = Video.objects.filter(
        pk=task.args[0], status__in=[VideoStatus.QUEUED, VideoStatus.PROCESSING]
    ).update(
        status=VideoStatus.FAILED,
        stage="Failed",
        error_message="Packaging stopped before it finished (time limit or worker crash). Use “Package again”.",
        updated_at=timezone.now(),
    )
    if failed:
        tell_course_team(task.args[0])
