"""The audit trail's recurring job, created by `migrate` (post_migrate), never by hand.

Re-running keeps an admin's changes to the time but restores a deleted schedule.
"""

from django_q.models import Schedule

from operations.recurring import on_migrate

SCHEDULES = [
    {
        "name": "audit: delete old security events",
        "func": "audit.tasks.delete_old_security_events",
        "schedule_type": Schedule.CRON,
        "cron": "45 3 * * *",  # 03:45 daily, after the nightly backup has them
    },
]


ensure_schedules = on_migrate(SCHEDULES)
