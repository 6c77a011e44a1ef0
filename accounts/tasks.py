"""django-q2 jobs of accounts (scheduled in schedules.py)."""

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from .models import ApiTokenFamily


def delete_ended_api_sign_ins() -> int:
    """API sign-ins whose last refresh token has expired, and simplejwt's records of expired
    tokens (its `flushexpiredtokens`). Nothing here still works; this keeps the tables small.
    Returns how many sign-ins were deleted."""
    now = timezone.now()
    cutoff = now - settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    deleted, _ = (
        ApiTokenFamily.objects.annotate(last_issued=Coalesce(F("rotated_at"), F("created_at")))
        .filter(last_issued__lt=cutoff)
        .delete()
    )
    OutstandingToken.objects.filter(expires_at__lt=now).delete()
    return deleted
