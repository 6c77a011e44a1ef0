"""Access logs older than 90 days are deleted; younger ones stay."""

from datetime import timedelta

from django.utils import timezone

import pytest
from axes.models import AccessLog

from learning.models import EbookDownload
from media_pipeline.models import KeyAccess
from operations.cleanup import delete_old_access_logs
from operations.tasks import cleanup_access_logs
from tests.factories import EbookPageFactory, VideoFactory

pytestmark = pytest.mark.django_db


def test_access_logs_older_than_90_days_are_deleted_and_younger_ones_kept(ebooks, learner):
    now = timezone.now()
    video = VideoFactory()
    ebook = EbookPageFactory(parent=ebooks)
    keys = [KeyAccess.objects.create(video=video, user=learner, allowed=True) for _ in range(3)]
    downloads = [EbookDownload.objects.create(ebook=ebook, user=learner) for _ in range(3)]
    logins = [AccessLog.objects.create(username=learner.email, ip_address="127.0.0.1") for _ in range(3)]
    for rows, field in ((keys, "at"), (downloads, "created_at"), (logins, "attempt_time")):
        model = type(rows[0])
        for row, age in zip(rows, (91, 89, 1), strict=True):
            model.objects.filter(pk=row.pk).update(**{field: now - timedelta(days=age)})

    deleted = cleanup_access_logs()

    assert deleted["media_pipeline.KeyAccess"] == 1
    assert deleted["learning.EbookDownload"] == 1
    assert deleted["axes.AccessLog"] == 1
    assert KeyAccess.objects.count() == EbookDownload.objects.count() == AccessLog.objects.count() == 2


def test_retention_is_configurable(settings, learner):
    settings.ACCESS_LOG_RETENTION_DAYS = 7
    video = VideoFactory()
    row = KeyAccess.objects.create(video=video, user=learner, allowed=False, reason="no_entitlement")
    KeyAccess.objects.filter(pk=row.pk).update(at=timezone.now() - timedelta(days=8))
    assert delete_old_access_logs()["media_pipeline.KeyAccess"] == 1
