"""Accounts' recurring job, created by `migrate` (post_migrate), never by hand."""

from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "accounts: delete ended API sign-ins",
        "func": "accounts.tasks.delete_ended_api_sign_ins",
        "schedule_type": Schedule.CRON,
        "cron": "40 4 * * *",  # 04:40 daily
    },
]


def ensure_schedules(**_kwargs) -> None:
    for item in SCHEDULES:
        defaults = {key: value for key, value in item.items() if key != "name"}
        Schedule.objects.get_or_create(name=item["name"], defaults={**defaults, "repeats": -1})
