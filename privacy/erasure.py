""" "Delete my account": lock at once, erase after a grace period unless the owner logs in.

`request_erasure` (after the caller checked the password and, for staff, the second
factor) records the request and locks the account: every browser session ends, every
API token is revoked, open playback sessions end (so the key endpoint refuses the next
key), and the account is told how to cancel. Logging in within
`PRIVACY_ERASURE_GRACE_DAYS` cancels (`privacy.receivers`). Then `erase` runs every
registered erase function in one transaction (orders pseudonymised, certificates
revoked, logs detached, the rest deleted; the account row last) and sends a final email
whose log row is forgotten once it is sent.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allauth.account.models import EmailAddress
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts import api_tokens
from accounts.models import RevokeReason
from memberships.models import PlaybackSession
from notifications.mail import send_templated_email

from . import registry
from .models import ErasureRequest, ErasureStatus
from .sessions import end_sessions

logger = logging.getLogger(__name__)


class ErasureRefused(Exception):
    """The account cannot be erased (the last superuser)."""


def new_pseudonym() -> str:
    return f"erased-{secrets.token_hex(8)}"


def refusal(user) -> str:
    """Why `user` cannot be erased, or "" when it can."""
    if user.is_superuser:
        others = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk)
        if not others.exists():
            return str(_("This is the last superuser account: make another superuser before deleting it."))
    return ""


def pending_request(user) -> ErasureRequest | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return ErasureRequest.objects.filter(user=user, status=ErasureStatus.PENDING).first()


@transaction.atomic
def request_erasure(user, *, requested_by: str = "owner", now=None) -> ErasureRequest:
    """Record the request, lock the account now, and mail how to cancel."""
    reason = refusal(user)
    if reason:
        raise ErasureRefused(reason)
    existing = pending_request(user)
    if existing is not None:
        lock(user)
        return existing
    now = now or timezone.now()
    request = ErasureRequest.objects.create(
        user=user,
        pseudonym=new_pseudonym(),
        erase_after=now + timedelta(days=settings.PRIVACY_ERASURE_GRACE_DAYS),
        requested_by=requested_by[:120],
    )
    lock(user)
    send_templated_email("privacy_erasure_scheduled", user, {"erasure": request})
    return request


def lock(user) -> None:
    """End every way in: browser sessions, API tokens, playback (and with it key access)."""
    end_sessions(user)
    revoke_api_tokens(user)
    PlaybackSession.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason="account_deleted"
    )


def revoke_api_tokens(user) -> int:
    """End every API sign-in: its token families are revoked (their access tokens are
    refused from now on, accounts.api_tokens) and any refresh token still out is
    blacklisted, families or not."""
    revoked = api_tokens.revoke_all(user, RevokeReason.DELETED)
    for token in OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True):
        BlacklistedToken.objects.get_or_create(token=token)
    return revoked


def cancel(user) -> bool:
    """Cancel a pending erasure (its owner logged in). True if there was one."""
    return bool(
        ErasureRequest.objects.filter(user=user, status=ErasureStatus.PENDING).update(
            status=ErasureStatus.CANCELLED, cancelled_at=timezone.now()
        )
    )


def erase(user, *, request: ErasureRequest | None = None, notify: bool = True) -> ErasureRequest:
    """Carry out the erasure of `user` now. Refuses the last superuser."""
    reason = refusal(user)
    if reason:
        raise ErasureRefused(reason)
    request = request or pending_request(user)
    if request is None:
        request = ErasureRequest.objects.create(
            user=user, pseudonym=new_pseudonym(), erase_after=timezone.now(), requested_by="retention"
        )
    email, name = user.email, user.display_name
    context = registry.ErasureContext(
        user=user,
        pseudonym=request.pseudonym,
        emails=tuple({email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}),
    )
    lock(user)
    with transaction.atomic():
        for declaration in registry.declarations():
            if declaration.erase is not None:
                declaration.erase(context)
        ErasureRequest.objects.filter(pk=request.pk).update(
            user=None, status=ErasureStatus.DONE, completed_at=timezone.now()
        )
        if notify:
            send_templated_email(
                "privacy_erasure_done",
                None,
                {"display_name": name},
                to=email,
                forget_after_sending=True,
            )
    logger.info("account erased as %s", request.pseudonym)
    request.refresh_from_db()
    return request


def erase_due(now=None) -> list[str]:
    """The job: erase every account whose grace period has ended. Returns pseudonyms."""
    now = now or timezone.now()
    done = []
    for request in ErasureRequest.objects.filter(
        status=ErasureStatus.PENDING, erase_after__lte=now
    ).select_related("user"):
        if request.user is None:
            continue
        try:
            done.append(erase(request.user, request=request).pseudonym)
        except ErasureRefused:
            logger.warning("erasure %s refused: last superuser", request.pseudonym)
    return done
