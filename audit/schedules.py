"""The audit trail's recurring job, created by `migrate` (post_migrate), never by hand.

Re-running keeps an admin's changes to the time but restores a deleted schedule.
"""

from django_q.models import Schedule

SCHEDULES = [
    {
        "name": "audit: delete old security events",
        "func": "audit.tasks.delete_old_security_events",
        "schedule_type": Schedule.CRON,
        "cron": "45 3 * * *",  # 03:45 daily, after the nightly backup has them
    },
]


def ensure_schedules(**_kwargs) -> None:
    for item in SCHEDULES:
        defaults = {key: value for key, value in item.items() if key != "name"}
        Schedule.objects.get_or_create(name=item["name"], defaults={**defaults, "repeats": -1})
