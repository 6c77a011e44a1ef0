"""Recording account security events and forgetting old ones."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from config.client_ip import client_ip

from .models import SecurityEvent

USER_AGENT_MAX = 255


def _client_address(request) -> str | None:
    """The client's address by the project's one rule (X-Forwarded-For only from
    trusted proxies), like the lockout and the rate limits."""
    return client_ip(request)


def record(kind: str, *, request=None, user=None, identifier: str = "", **data) -> SecurityEvent:
    """Write one event. `user` may be None (a failed login for an unknown email)."""
    if user is not None and not getattr(user, "pk", None):
        user = None
    meta = getattr(request, "META", {}) if request is not None else {}
    return SecurityEvent.objects.create(
        user=user,
        identifier=(identifier or getattr(user, "email", "") or "")[:255],
        kind=kind,
        client_address=_client_address(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
        data=data,
    )


def delete_old_events(now=None, days: int | None = None) -> int:
    """Scheduled daily: drop events older than AUDIT_RETENTION_DAYS."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _by_model = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
