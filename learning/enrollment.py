"""Enrolling a learner in a course, through the entitlement policy.

Free courses are open to everyone logged in; a tier-gated course needs the tier (or
staff / the course's instructors), exactly as reading it does. Enrolling twice is a
no-op: a unique constraint (user, course) plus get_or_create retried after an
IntegrityError make two clicks at once one enrollment, one signal, one email.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from memberships import policy
from notifications.inbox import notify
from notifications.mail import send_templated_email

from .models import CoursePage, Enrollment, EnrollmentStatus
from .signals import enrolled


class EnrollmentRefused(Exception):
    """The policy said no; `decision` says why (login, tier too low) for the teaser."""

    def __init__(self, decision: policy.Decision):
        super().__init__(str(decision.reason))
        self.decision = decision


@dataclass(frozen=True)
class EnrollResult:
    enrollment: Enrollment
    created: bool


def can_enroll(user, course: CoursePage) -> policy.Decision:
    """Enrolling needs what reading the course needs (its tier; free is open)."""
    if not user.is_authenticated:
        return policy.Decision(False, policy.Reason.LOGIN_REQUIRED, policy.required_tier_for(course))
    return policy.can_view(user, course)


def enroll(user, course: CoursePage) -> EnrollResult:
    """Enroll `user` in `course` once; raise EnrollmentRefused when the policy refuses.

    A new enrollment sends `learning.signals.enrolled`, an "enrolled" email and an
    in-site notice. A cancelled enrollment is reopened (and announced again).
    """
    decision = can_enroll(user, course)
    if not decision:
        raise EnrollmentRefused(decision)
    try:
        with transaction.atomic():
            enrollment, created = Enrollment.objects.get_or_create(user=user, course=course)
    except IntegrityError:  # the other click won the race
        enrollment, created = Enrollment.objects.get(user=user, course=course), False
    if not created and enrollment.status == EnrollmentStatus.CANCELLED:
        reopened = Enrollment.objects.filter(pk=enrollment.pk, status=EnrollmentStatus.CANCELLED).update(
            status=EnrollmentStatus.ACTIVE, enrolled_at=timezone.now()
        )
        if reopened:
            enrollment.refresh_from_db()
            created = True
    if created:
        _announce(enrollment, user, course)
    return EnrollResult(enrollment, created)


def _announce(enrollment: Enrollment, user, course: CoursePage) -> None:
    enrolled.send(sender=Enrollment, enrollment=enrollment)
    url = course.url or ""
    send_templated_email("enrolled", user, {"course": course, "enrollment": enrollment, "course_url": url})
    notify(user, "enrolled", f"You are enrolled in {course.title}", course.summary[:300], url)
