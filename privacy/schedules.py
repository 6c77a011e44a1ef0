"""Privacy's recurring jobs, created by `migrate` (post_migrate), never by hand.

Re-running keeps an admin's changes to the time but restores a deleted schedule.
"""

from django_q.models import Schedule

from operations.recurring import on_migrate

SCHEDULES = [
    {
        "name": "privacy: carry out due account erasures",
        "func": "privacy.tasks.erase_due_accounts",
        "schedule_type": Schedule.HOURLY,
    },
    {
        "name": "privacy: delete expired export files",
        "func": "privacy.tasks.delete_expired_exports",
        "schedule_type": Schedule.HOURLY,
    },
    {
        "name": "privacy: apply retention periods",
        "func": "privacy.tasks.apply_retention",
        "schedule_type": Schedule.CRON,
        "cron": "15 4 * * *",  # 04:15 daily, after the nightly backup and audit cleanup
    },
]


ensure_schedules = on_migrate(SCHEDULES)
