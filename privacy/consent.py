"""Consent: the analytics cookie only with a yes, marketing email only with a yes.

The choice lives in a first-party cookie (`PRIVACY_CONSENT_COOKIE`, strictly necessary:
it only remembers the answer), so reading it costs no query on a page view. For a
signed-in person every choice is also a `ConsentRecord` (in their export), and a choice
made before logging in becomes the account's at login.
"""

from __future__ import annotations

from django.conf import settings

from .models import ConsentPurpose, ConsentRecord

ACCEPTED, REJECTED = "accepted", "rejected"


def cookie_choice(request) -> str:
    value = request.COOKIES.get(settings.PRIVACY_CONSENT_COOKIE, "")
    return value if value in (ACCEPTED, REJECTED) else ""


def latest(user, purpose: str) -> bool | None:
    if not getattr(user, "is_authenticated", False):
        return None
    record = ConsentRecord.objects.filter(user=user, purpose=purpose).order_by("-created_at", "-pk").first()
    return None if record is None else record.granted


def _account_choice(request) -> bool | None:
    """The signed-in account's analytics answer, read at most once per request."""
    if not hasattr(request, "_lectern_analytics_consent"):
        request._lectern_analytics_consent = latest(getattr(request, "user", None), ConsentPurpose.ANALYTICS)
    return request._lectern_analytics_consent


def analytics_allowed(request) -> bool:
    """May this request carry the analytics cookie? Only after a yes."""
    choice = cookie_choice(request)
    if choice:
        return choice == ACCEPTED
    return bool(_account_choice(request))


def has_answered(request) -> bool:
    return bool(cookie_choice(request)) or _account_choice(request) is not None


def record(user, purpose: str, granted: bool) -> ConsentRecord | None:
    """Store a signed-in person's choice (only when it changes)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if latest(user, purpose) is granted:
        return None
    return ConsentRecord.objects.create(user=user, purpose=purpose, granted=granted)


def set_analytics_choice(request, response, granted: bool) -> None:
    """Remember the answer in the cookie and, signed in, in the account. (After a no,
    analytics' middleware removes its own cookie on the next page.)"""
    response.set_cookie(
        settings.PRIVACY_CONSENT_COOKIE,
        ACCEPTED if granted else REJECTED,
        max_age=settings.PRIVACY_CONSENT_COOKIE_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    record(request.user, ConsentPurpose.ANALYTICS, granted)


def adopt_cookie_choice(request, user) -> None:
    choice = cookie_choice(request)
    if choice:
        record(user, ConsentPurpose.ANALYTICS, choice == ACCEPTED)


def marketing_email_allowed(user) -> bool:
    """Marketing email is opt-in: no record means no."""
    return bool(latest(user, ConsentPurpose.MARKETING_EMAIL))


def banner(request) -> dict:
    """Context processor: whether to show the consent banner."""
    return {"consent_banner": not has_answered(request)}
