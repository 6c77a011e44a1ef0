"""The reminder job's schedule, created by `migrate` (post_migrate) like
memberships.schedules. Keyed by name, so re-running never adds a second one."""

from django_q.models import Schedule

from operations.recurring import on_migrate

REMINDER_SCHEDULE = "live: send session reminders"

SCHEDULES = [
    {
        "name": REMINDER_SCHEDULE,
        "func": "live.tasks.send_due_reminders",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
]


ensure_schedules = on_migrate(SCHEDULES)
