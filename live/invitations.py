"""Telling learners: invitation, change, cancellation and reminder emails with an
iCalendar file, plus an in-site notification.

Who: learners with an active or completed enrollment in the course whom the one
policy (`memberships.policy.can_join`) lets join. What: an .ics with a stable UID and
the session's SEQUENCE, METHOD:REQUEST for a new or changed session and
METHOD:CANCEL for a cancelled one, so Google, Apple and Outlook update or remove the
event they already have. The event's URL/LOCATION is the platform join address, never
the raw meeting link, so every join passes the policy and is recorded.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from icalendar import Calendar, Event, vCalAddress, vText

from learning.models import EnrollmentStatus
from memberships.policy import can_join
from notifications.inbox import notify
from notifications.mail import send_templated_email

from .models import LiveSession

PRODID = "-//Lectern//Live sessions//EN"
KINDS = {
    # kind: (email template, iCalendar METHOD)
    "invitation": ("live_invitation", "REQUEST"),
    "updated": ("live_updated", "REQUEST"),
    "cancelled": ("live_cancelled", "CANCEL"),
    "reminder": ("live_reminder", "REQUEST"),
}


def invitees(session: LiveSession) -> list:
    """Enrolled learners (active or completed) whom the policy lets join."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            enrollments__course_id=session.course_id,
            enrollments__status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED],
        )
        .distinct()
        .order_by("pk")
    )
    return [user for user in users if can_join(user, session.course)]


def build_ics(session: LiveSession, method: str, attendee=None, *, now=None) -> bytes:
    """One VEVENT in a VCALENDAR with the VTIMEZONE of the session's zone."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", session.ical_uid)
    event.add("sequence", session.ical_sequence)
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", session.starts_at.astimezone(session.zone))
    event.add("dtend", session.ends_at.astimezone(session.zone))
    event.add("summary", session.title)
    join = session.platform_join_url()
    description = session.description.strip()
    event.add("description", f"{description}\n\nJoin: {join}" if description else f"Join: {join}")
    event.add("url", join)
    event.add("location", join)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{settings.LIVE_ORGANIZER_EMAIL}")
    organizer.params["cn"] = vText(settings.WAGTAIL_SITE_NAME)
    event.add("organizer", organizer)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(getattr(attendee, "display_name", "") or attendee.email)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    calendar.add_component(event)
    # Only the transitions around the session: a full history of the zone would make
    # every invitation several kilobytes longer for nothing.
    calendar.add_missing_timezones(
        first_date=(session.starts_at - timedelta(days=366)).date(),
        last_date=(session.ends_at + timedelta(days=366)).date(),
    )
    return calendar.to_ical()


def store_ics(session: LiveSession, method: str, user) -> str:
    """Keep the recipient's .ics in private storage, where the mail job reads it (the
    job carries only the name, so a retried delivery attaches the same file)."""
    content = build_ics(session, method, attendee=user)
    name = f"live/ics/{session.pk}/{session.ical_sequence}-{method.lower()}-{user.pk}.ics"
    return storages["private"].save(name, ContentFile(content))


def send_to_learners(session: LiveSession, kind: str, *, reminder_kind: str = "") -> int:
    """Email every invitee (with the .ics) and notify them in the site. Returns how many."""
    template, method = KINDS[kind]
    learners = invitees(session)
    for user in learners:
        send_to_one(session, user, kind, reminder_kind=reminder_kind)
    return len(learners)


def send_to_one(session: LiveSession, user, kind: str, *, reminder_kind: str = "") -> None:
    template, method = KINDS[kind]
    context = {
        "session": session,
        "course": session.course,
        "join_url": session.platform_join_url(),
        "session_url": session.platform_url(),
        "starts_local": session.starts_at.astimezone(session.zone),
        "ends_local": session.ends_at.astimezone(session.zone),
        "reminder_kind": reminder_kind,
    }
    filename = "cancel.ics" if method == "CANCEL" else "invite.ics"
    stored = store_ics(session, method, user)
    # Times in the mail are the session's own clock, as the subject's "(zone)" says; the
    # templates would otherwise show them in the site's zone.
    with timezone.override(session.zone):
        send_templated_email(template, user, context, attachments=[(filename, stored, "text/calendar")])
    titles = {
        "invitation": "Live session scheduled: {}",
        "updated": "Live session changed: {}",
        "cancelled": "Live session cancelled: {}",
        "reminder": "Live session soon: {}",
    }
    notify(
        user,
        f"live_{kind}",
        titles[kind].format(session.title),
        body=session.course.title,
        url=session.get_absolute_url(),
    )
