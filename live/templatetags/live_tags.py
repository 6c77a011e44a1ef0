from datetime import UTC

from django import template

from ..widgets import upcoming_for_course, upcoming_for_user

register = template.Library()


@register.simple_tag
def upcoming_live_sessions(user, course=None):
    """`{% upcoming_live_sessions user course as items %}`; without a course: the user's own."""
    if course is not None:
        return upcoming_for_course(course, user)
    return upcoming_for_user(user)


@register.filter
def utc_iso(moment) -> str:
    """The machine-readable time for <time datetime>, which the page's script formats
    in the reader's own zone."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@register.filter
def in_session_zone(moment, session):
    return moment.astimezone(session.zone)
