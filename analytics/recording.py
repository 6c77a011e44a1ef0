"""Writing analytics events: cheap, private and never in the way.

- One INSERT per request at most (a preview also being a page view goes in the same
  multi-row INSERT), and no SELECT: everything needed is already on the request/page.
- A failure is logged and swallowed: analytics must never break a page or a payment.
  Inside a transaction (signals from payments, enrollment) the insert runs in a
  savepoint so a failed insert cannot poison the caller's transaction.
- Privacy: no IP is stored. With consent (privacy.consent) the visitor is a random
  first-party cookie id; without it there is no cookie and the id is derived from the
  address and browser. Either way it is hashed with a key derived from SECRET_KEY and
  the date, so the stored value changes every day and cannot link a person's visits
  across days; it only counts unique visitors per day.
"""

import logging
import secrets
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from config.client_ip import client_ip
from privacy import consent

from .models import Event, EventKind

logger = logging.getLogger(__name__)

VISITOR_COOKIE = "lectern_v"
_BOT_MARKERS = ("bot", "spider", "crawl", "slurp", "headless", "monitor", "curl", "wget")


def visitor_hash(visitor_id: str, on: date | None = None) -> str:
    """Salted, daily-rotated hash of a visitor id (32 hex characters)."""
    if not visitor_id:
        return ""
    on = on or timezone.localdate()
    return salted_hmac(f"lectern.analytics.visitor.{on.isoformat()}", visitor_id).hexdigest()[:32]


def visitor_id_of(request) -> tuple[str, bool]:
    """The request's visitor id and whether it is new (the response must set the cookie).

    Before consent to the analytics cookie there is no cookie: the id is the address and
    browser, which `visitor_hash` turns into a daily-rotated hash, so unique visitors are
    still counted per day and nothing is stored on the device."""
    if not consent.analytics_allowed(request):
        return f"{client_ip(request) or ''}|{request.META.get('HTTP_USER_AGENT', '')}", False
    existing = request.COOKIES.get(VISITOR_COOKIE, "")
    if 16 <= len(existing) <= 64 and existing.isascii() and existing.isalnum():
        return existing, False
    cached = getattr(request, "_lectern_visitor_id", None)
    if cached:
        return cached, True
    new_id = secrets.token_hex(16)
    request._lectern_visitor_id = new_id
    return new_id, True


def is_bot(request) -> bool:
    agent = request.META.get("HTTP_USER_AGENT", "").lower()
    return not agent or any(marker in agent for marker in _BOT_MARKERS)


def recording_enabled() -> bool:
    return getattr(settings, "ANALYTICS_ENABLED", True)


def build_event(kind: str, *, user=None, request=None, **fields) -> Event:
    """An unsaved Event; `request` supplies the visitor hash and path when given."""
    now = timezone.now()
    if request is not None:
        visitor_id, _new = visitor_id_of(request)
        fields.setdefault("visitor", visitor_hash(visitor_id, timezone.localdate(now)))
        fields.setdefault("path", request.path[:255])
    if user is not None and getattr(user, "is_authenticated", False):
        fields["user_id"] = user.pk
    return Event(kind=kind, created_at=now, **fields)


def save_events(events: list[Event], *, savepoint: bool = True) -> bool:
    """Insert `events` in one statement; log and return False on any failure.

    `savepoint=False` is for the page-view middleware: it runs after the view (and any
    ATOMIC_REQUESTS transaction) has finished, so it is never inside the caller's
    transaction and needs no SAVEPOINT round trips.
    """
    if not events or not recording_enabled():
        return False
    try:
        if savepoint and connection.in_atomic_block:
            with transaction.atomic():
                _insert(events)
        else:
            _insert(events)
    except Exception:  # analytics never breaks the caller
        logger.warning("analytics: could not record %s", [e.kind for e in events], exc_info=True)
        return False
    return True


def _insert(events: list[Event]) -> None:
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        Event.objects.bulk_create(events)


def record(kind: str, *, user=None, request=None, **fields) -> bool:
    """Record one event now (signal receivers call this)."""
    if not recording_enabled():
        return False
    try:
        event = build_event(kind, user=user, request=request, **fields)
    except Exception:
        logger.warning("analytics: could not build %s event", kind, exc_info=True)
        return False
    return save_events([event])


def page_events(request, page, *, teaser_shown: bool) -> list[Event]:
    """The events one served page makes: a page view, plus a preview view when the page
    is a preview lesson or a gated page's teaser was shown instead of the body."""
    from learning.models import CoursePage, LessonPage, ModulePage

    fields: dict = {}
    if isinstance(page, CoursePage):
        fields["course_id"] = page.pk
    elif isinstance(page, (LessonPage, ModulePage)):
        # Only when the page already loaded its course this request: no extra SELECT.
        # The rollup resolves lessons to courses for the rest.
        course = page.__dict__.get("course")
        if course is not None:
            fields["course_id"] = course.pk
        if isinstance(page, LessonPage):
            fields["lesson_id"] = page.pk
    user = getattr(request, "user", None)
    events = [build_event(EventKind.PAGE_VIEW, user=user, request=request, **fields)]
    if teaser_shown or getattr(page, "is_preview", False):
        extra = {"teaser": True} if teaser_shown else {}
        events.append(build_event(EventKind.PREVIEW_VIEW, user=user, request=request, data=extra, **fields))
    return events
