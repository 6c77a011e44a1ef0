"""The project's recurring jobs, created by `migrate` (post_migrate), never by hand.

django-q2's cron schedules need croniter (pinned); its scheduler polls every 30 s.
Re-running keeps an admin's changes to the time but restores a deleted schedule.
"""

from django_q.models import Schedule

from operations.recurring import on_migrate

SCHEDULES = [
    {
        "name": "memberships: expire subscriptions",
        "func": "memberships.tasks.expire_subscriptions",
        "schedule_type": Schedule.CRON,
        "cron": "0 1 * * *",  # 01:00 daily
    },
    {
        "name": "memberships: remind expiring subscriptions",
        "func": "memberships.tasks.remind_expiring_subscriptions",
        "schedule_type": Schedule.CRON,
        "cron": "0 9 * * *",  # 09:00 daily, when people read mail
    },
    {
        "name": "memberships: reconcile payments",
        "func": "memberships.tasks.reconcile_payments",
        # 03:30 daily: VNPay, MoMo and Stripe have settled yesterday's last payments by then.
        "schedule_type": Schedule.CRON,
        "cron": "30 3 * * *",
    },
]


ensure_schedules = on_migrate(SCHEDULES)
