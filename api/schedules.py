"""The API's recurring job, created by `migrate` (post_migrate), never by hand."""

from django_q.models import Schedule

from operations.recurring import on_migrate

SCHEDULES = [
    {
        "name": "api: delete expired idempotency keys",
        "func": "api.tasks.delete_expired_idempotency_keys",
        "schedule_type": Schedule.CRON,
        "cron": "30 4 * * *",  # 04:30 daily
    },
]


ensure_schedules = on_migrate(SCHEDULES)
