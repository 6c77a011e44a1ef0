"""django-q2 jobs of the audit trail (scheduled in schedules.py)."""

from .security import delete_old_events


def delete_old_security_events() -> int:
    return delete_old_events()
