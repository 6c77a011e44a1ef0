"""The reminder job's schedule, created by `migrate` (post_migrate) like
memberships.schedules. Keyed by name, so re-running never adds a second one."""

from django_q.models import Schedule

REMINDER_SCHEDULE = "live: send session reminders"


def ensure_schedules(**_kwargs) -> None:
    Schedule.objects.get_or_create(
        name=REMINDER_SCHEDULE,
        defaults={
            "func": "live.tasks.send_due_reminders",
            "schedule_type": Schedule.MINUTES,
            "minutes": 5,
            "repeats": -1,
        },
    )
