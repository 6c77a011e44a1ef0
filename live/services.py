"""What happens when a session is scheduled, changed or cancelled, and when someone
joins or leaves. Views and the admin call these; they hold no logic of their own."""

import csv
import io
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from memberships.policy import is_content_staff, teaches

from .invitations import send_to_learners
from .models import Attendance, LiveSession, Provider, ProviderStatus, SessionStatus
from .providers import get_provider
from .tasks import queue_provider_call

# Changes a learner's calendar must hear about (a new SEQUENCE and an updated .ics).
CALENDAR_FIELDS = ("title", "description", "starts_at", "ends_at", "time_zone")
PROVIDER_FIELDS = ("provider", "join_url")
TRACKED_FIELDS = (*CALENDAR_FIELDS, *PROVIDER_FIELDS, "status")


def snapshot(session: LiveSession) -> dict:
    """The tracked fields as they are now, to compare with after an edit."""
    return {field: getattr(session, field) for field in TRACKED_FIELDS}


@transaction.atomic
def schedule_session(session: LiveSession, actor=None) -> LiveSession:
    """Save a new session, create its meeting (in the background) and invite learners."""
    session.created_by = session.created_by or actor
    if session.provider != Provider.LINK:
        session.join_url = ""
    session.provider_status = ProviderStatus.PENDING
    session.save()
    queue_provider_call(session, "create")
    send_to_learners(session, "invitation")
    return session


@transaction.atomic
def save_changes(session: LiveSession, before: dict) -> set[str]:
    """Save an edited session and propagate what changed; returns the changed fields.

    Every change that matters raises the iCalendar SEQUENCE once; a cancellation sends
    METHOD:CANCEL, any other calendar change a new METHOD:REQUEST with the same UID.
    """
    changed = {field for field in TRACKED_FIELDS if before[field] != getattr(session, field)}
    if not changed:
        session.save()
        if session.provider_status == ProviderStatus.FAILED and not session.is_cancelled:
            # Saving again is how staff retry a meeting the provider refused.
            queue_provider_call(session, "update" if session.provider_event_id else "create")
        return changed
    provider_switched = "provider" in changed
    if provider_switched and session.provider != Provider.LINK:
        session.join_url, session.provider_event_id = "", ""
    session.ical_sequence = F("ical_sequence") + 1
    session.save()
    session.refresh_from_db()

    if "status" in changed:
        if session.is_cancelled:
            queue_provider_call(session, "cancel")
            send_to_learners(session, "cancelled")
        else:
            queue_provider_call(session, "create")
            send_to_learners(session, "invitation")
        return changed
    if session.is_cancelled:
        return changed
    if provider_switched:
        queue_provider_call(session, "cancel", provider_name=before["provider"])
        queue_provider_call(session, "create")
    else:
        queue_provider_call(session, "update")
    if changed & set(CALENDAR_FIELDS):
        send_to_learners(session, "updated")
    return changed


def cancel_session(session: LiveSession) -> None:
    before = snapshot(session)
    session.status = SessionStatus.CANCELLED
    save_changes(session, before)


class JoinState(StrEnum):
    OPEN = "open"
    NOT_YET = "not_yet"
    ENDED = "ended"
    CANCELLED = "cancelled"
    NO_LINK = "no_link"
    FULL = "full"


def is_host(session: LiveSession, user) -> bool:
    return teaches(user, session.course) or is_content_staff(user)


def join_state(session: LiveSession, user, now=None) -> JoinState:
    """Whether the door is open for `user` now (the policy has already said yes)."""
    now = now or timezone.now()
    if session.is_cancelled:
        return JoinState.CANCELLED
    if session.has_ended(now):
        return JoinState.ENDED
    host = is_host(session, user)
    if now < session.opens_at and not host:
        return JoinState.NOT_YET
    if not session.join_url:
        return JoinState.NO_LINK
    if not host and _is_full(session, user):
        return JoinState.FULL
    return JoinState.OPEN


def _is_full(session: LiveSession, user) -> bool:
    others = session.attendances.exclude(user=user)
    return others.count() >= session.capacity


def record_join(session: LiveSession, user) -> Attendance:
    """First join creates the row; later joins count up and clear the leave time."""
    now = timezone.now()
    updated = Attendance.objects.filter(session=session, user=user).update(
        last_joined_at=now, left_at=None, join_count=F("join_count") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                return Attendance.objects.create(
                    session=session, user=user, joined_at=now, last_joined_at=now
                )
        except IntegrityError:  # a double click raced us to the first row
            Attendance.objects.filter(session=session, user=user).update(join_count=F("join_count") + 1)
    return Attendance.objects.get(session=session, user=user)


def record_leave(session: LiveSession, user) -> bool:
    return bool(Attendance.objects.filter(session=session, user=user).update(left_at=timezone.now()))


def meeting_url_for(session: LiveSession, user) -> str:
    return get_provider(session.provider).join_url_for(session, user)


CSV_HEADER = [
    "name",
    "email",
    "first_joined_utc",
    "last_joined_utc",
    "left_utc",
    "joins",
    "minutes_until_leave",
]


def attendance_csv(session: LiveSession) -> str:
    """Attendance as CSV (UTC ISO times), for spreadsheets. Cells are neutralised
    against formula injection since names are typed by learners."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in session.attendances.select_related("user").order_by("joined_at"):
        minutes = ""
        if row.left_at:
            minutes = max(0, round((row.left_at - row.last_joined_at).total_seconds() / 60))
        writer.writerow(
            [
                _safe_cell(getattr(row.user, "display_name", "") or row.user.get_full_name()),
                _safe_cell(row.user.email),
                row.joined_at.isoformat(),
                row.last_joined_at.isoformat(),
                row.left_at.isoformat() if row.left_at else "",
                row.join_count,
                minutes,
            ]
        )
    return buffer.getvalue()


def _safe_cell(value: str) -> str:
    return f"'{value}" if value and value[0] in "=+-@\t\r" else value
