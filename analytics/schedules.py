"""Analytics' recurring jobs, created by `migrate` (post_migrate) like memberships' ones."""

from django_q.models import Schedule

from operations.recurring import on_migrate

SCHEDULES = [
    {
        "name": "analytics: roll up yesterday",
        "func": "analytics.tasks.rollup_recent_days",
        "schedule_type": Schedule.CRON,
        "cron": "30 0 * * *",  # 00:30 daily, once the day has ended
    },
    {
        "name": "analytics: refresh today's figures",
        "func": "analytics.tasks.refresh_today",
        "schedule_type": Schedule.CRON,
        "cron": "*/10 * * * *",  # "active today" and today's partial rollup
    },
    {
        "name": "analytics: delete raw events past retention",
        "func": "analytics.tasks.delete_old_events",
        "schedule_type": Schedule.CRON,
        "cron": "15 3 * * *",  # 03:15 daily, after the 02:00 backup
    },
]


ensure_schedules = on_migrate(SCHEDULES)
