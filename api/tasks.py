"""django-q2 jobs of the API (scheduled in schedules.py)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import IdempotencyKey


def delete_expired_idempotency_keys() -> int:
    """Keys past `IDEMPOTENCY_TTL` are ignored already; this only keeps the table small."""
    cutoff = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
