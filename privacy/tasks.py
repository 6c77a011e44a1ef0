"""django-q2 jobs: building an export, carrying out due erasures, retention."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from axes.models import AccessAttempt

from account_notices.models import SignInDevice

from . import erasure, exporting

logger = logging.getLogger(__name__)


def build_export(export_id: str):
    exporting.build(export_id)


def erase_due_accounts() -> list[str]:
    return erasure.erase_due()


def delete_expired_exports() -> int:
    return exporting.delete_expired()


def delete_unverified_accounts(now=None) -> int:
    """Accounts whose email was never verified, older than PRIVACY_UNVERIFIED_ACCOUNT_DAYS:
    never used, so erased without a final email (the address was never proven theirs)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PRIVACY_UNVERIFIED_ACCOUNT_DAYS)
    stale = (
        get_user_model()
        .objects.filter(date_joined__lt=cutoff, is_staff=False, is_superuser=False)
        .exclude(emailaddress__verified=True)
        .exclude(orders__isnull=False)
    )
    erased = 0
    for user in stale:
        erasure.erase(user, notify=False)
        erased += 1
    return erased


def delete_old_login_records(now=None) -> dict[str, int]:
    """Sign-in records past PRIVACY_LOGIN_RECORD_DAYS: known sign-in devices not seen
    since, lockout attempts, and expired sessions."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PRIVACY_LOGIN_RECORD_DAYS)
    return {
        "account_notices.SignInDevice": SignInDevice.objects.filter(last_seen__lt=cutoff).delete()[0],
        "axes.AccessAttempt": AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "sessions.Session": Session.objects.filter(expire_date__lt=now).delete()[0],
    }


def apply_retention() -> dict:
    result = {
        "login_records": delete_old_login_records(),
        "unverified_accounts": delete_unverified_accounts(),
        "exports": exporting.delete_expired(),
    }
    logger.info("privacy retention: %s", result)
    return result
