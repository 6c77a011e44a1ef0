"""What the course page and the "My learning" dashboard show about live sessions."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from learning.models import EnrollmentStatus
from memberships.policy import Decision, can_join

from .models import LiveSession

PANEL_LIMIT = 5


@dataclass(frozen=True)
class UpcomingSession:
    session: LiveSession
    decision: Decision | None

    @property
    def can_join(self) -> bool:
        return bool(self.decision)

    @property
    def is_open(self) -> bool:
        return self.session.is_open()


def upcoming_for_course(course, user, limit: int = PANEL_LIMIT) -> list[UpcomingSession]:
    sessions = LiveSession.objects.upcoming().filter(course=course).select_related("course")[:limit]
    return [UpcomingSession(s, can_join(user, s.course) if user.is_authenticated else None) for s in sessions]


def upcoming_sessions_of(user):
    """Upcoming sessions of the courses the user is enrolled in (active or completed) or
    teaches, soonest first: the dashboard's panel and the API's list."""
    enrolled = Q(
        course__enrollments__user=user,
        course__enrollments__status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED],
    )
    return (
        LiveSession.objects.upcoming(timezone.now())
        .filter(enrolled | Q(course__instructors=user))
        .select_related("course")
        .distinct()
    )


def upcoming_for_user(user, limit: int = PANEL_LIMIT) -> list[UpcomingSession]:
    if not user.is_authenticated:
        return []
    return [UpcomingSession(s, can_join(user, s.course)) for s in upcoming_sessions_of(user)[:limit]]
