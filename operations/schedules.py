"""Operations' recurring jobs, created by `migrate` (post_migrate), never by hand.

Re-running keeps an admin's changes to the time but restores a deleted schedule.
"""

from django_q.models import Schedule

from .recurring import on_migrate

SCHEDULES = [
    {
        "name": "operations: nightly backup",
        "func": "operations.tasks.nightly_backup",
        "schedule_type": Schedule.CRON,
        "cron": "0 2 * * *",  # 02:00 daily
    },
    {
        "name": "operations: system sample",
        "func": "operations.tasks.system_sample",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        "name": "operations: delete old access logs",
        "func": "operations.tasks.cleanup_access_logs",
        "schedule_type": Schedule.CRON,
        "cron": "30 3 * * *",  # 03:30 daily, after the backup has them
    },
]


ensure_schedules = on_migrate(SCHEDULES)
