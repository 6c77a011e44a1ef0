"""The API's recurring job, created by `migrate` (post_migrate), never by hand."""

from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "api: delete expired idempotency keys",
        "func": "api.tasks.delete_expired_idempotency_keys",
        "schedule_type": Schedule.CRON,
        "cron": "30 4 * * *",  # 04:30 daily
    },
]


def ensure_schedules(**_kwargs) -> None:
    for item in SCHEDULES:
        defaults = {key: value for key, value in item.items() if key != "name"}
        Schedule.objects.get_or_create(name=item["name"], defaults={**defaults, "repeats": -1})
