"""Subscriptions change state only through memberships.subscriptions, and the daily
jobs expire and remind exactly once however often they run."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
from django_q.models import Schedule

from memberships import policy, subscriptions
from memberships.models import Subscription, SubscriptionEvent, SubscriptionStatus
from memberships.schedules import ensure_schedules
from memberships.tasks import expire_subscriptions
from notifications.models import EmailLog

from ..factories import CoursePageFactory

pytestmark = pytest.mark.django_db


def test_a_learner_without_a_plan_is_on_the_free_tier(bronze, tiers):
    assert policy.tier_of(bronze) == tiers["bronze"]


def test_grant_opens_the_tier_at_once_and_mails_the_learner(
    bronze, tiers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.grant(bronze, tiers["silver"])
    assert policy.tier_of(bronze) == tiers["silver"]
    assert mail.outbox[-1].subject == "Your Silver membership is active"
    assert EmailLog.objects.filter(user=bronze, template="subscription_activated", status="sent").exists()


def test_renewing_early_starts_after_the_current_period_and_keeps_history(silver, tiers):
    current = Subscription.objects.get(user=silver)
    renewal = subscriptions.grant(silver, tiers["silver"])
    assert renewal.starts_at == current.ends_at
    assert renewal.ends_at == current.ends_at + timedelta(days=30)
    assert Subscription.objects.filter(user=silver).count() == 2


def test_best_current_subscription_wins(silver, tiers):
    subscriptions.grant(silver, tiers["gold"], notify=False)
    assert policy.tier_of(silver) == tiers["gold"]


def test_expiry_job_downgrades_and_mails_once_however_often_it_runs(
    lapsed, tiers, client, catalog, django_capture_on_commit_callbacks
):
    gold_course = CoursePageFactory(parent=catalog, required_tier=tiers["gold"])
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_subscriptions() == 1
        assert expire_subscriptions() == 0
        assert subscriptions.expire_due() == 0

    subscription = Subscription.objects.get(user=lapsed)
    assert subscription.status == SubscriptionStatus.EXPIRED
    assert policy.tier_of(lapsed) == tiers["bronze"]
    expiry_mails = [m for m in mail.outbox if "has ended" in m.subject]
    assert len(expiry_mails) == 1 and expiry_mails[0].to == [lapsed.email]
    assert "Bronze" in expiry_mails[0].body
    assert SubscriptionEvent.objects.filter(subscription=subscription, action="expired").count() == 1

    client.force_login(lapsed)
    assert client.get(gold_course.url).status_code == 403  # locked content locks again


def test_expiry_of_one_plan_does_not_mail_a_learner_who_still_has_another(
    lapsed, tiers, django_capture_on_commit_callbacks
):
    subscriptions.grant(lapsed, tiers["silver"], notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.expire_due()
    assert not [m for m in mail.outbox if "has ended" in m.subject]


def test_reminder_goes_three_days_before_the_end_once(silver, django_capture_on_commit_callbacks):
    subscription = Subscription.objects.get(user=silver)
    subscription.ends_at = timezone.now() + timedelta(days=2)
    subscription.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert subscriptions.send_reminders() == 1
        assert subscriptions.send_reminders() == 0
    reminders = [m for m in mail.outbox if "ends on" in m.subject]
    assert len(reminders) == 1


def test_no_reminder_when_plenty_of_time_is_left(silver):
    assert subscriptions.send_reminders() == 0


def test_no_reminder_for_a_plan_already_renewed(silver, tiers, django_capture_on_commit_callbacks):
    subscription = Subscription.objects.get(user=silver)
    subscription.ends_at = timezone.now() + timedelta(days=1)
    subscription.save()
    subscriptions.grant(silver, tiers["silver"], notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions.send_reminders()
    assert not [m for m in mail.outbox if "ends on" in m.subject]


def test_staff_extend_and_revoke_are_audited(silver, admin_user, tiers):
    subscription = Subscription.objects.get(user=silver)
    before = subscription.ends_at
    subscriptions.extend(subscription, 7, actor=admin_user)
    assert subscription.ends_at == before + timedelta(days=7)
    subscriptions.revoke(subscription, actor=admin_user, note="chargeback")
    assert policy.tier_of(type(silver).objects.get(pk=silver.pk)) == tiers["bronze"]
    actions = list(subscription.events.order_by("at").values_list("action", "actor"))
    assert actions == [("extended", admin_user.pk), ("revoked", admin_user.pk)]


def test_extend_refuses_nonsense(silver):
    with pytest.raises(ValueError):
        subscriptions.extend(Subscription.objects.get(user=silver), 0)


def test_migrate_creates_the_daily_schedules_idempotently():
    ensure_schedules()
    ensure_schedules()
    schedules = Schedule.objects.filter(func__startswith="memberships.tasks.")
    assert {(s.func, s.cron, s.schedule_type) for s in schedules} == {
        ("memberships.tasks.expire_subscriptions", "0 1 * * *", Schedule.CRON),
        ("memberships.tasks.remind_expiring_subscriptions", "0 9 * * *", Schedule.CRON),
        ("memberships.tasks.reconcile_payments", "30 3 * * *", Schedule.CRON),
    }
