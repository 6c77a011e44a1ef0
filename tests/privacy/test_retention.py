"""Retention jobs apply the registry's periods: sign-in records, export files,
accounts never verified."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress
from django_q.models import Schedule

from account_notices.models import SignInDevice
from privacy import tasks
from privacy.schedules import SCHEDULES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_accounts_never_verified_go_after_30_days_and_no_one_else(learner):
    old = UserFactory(email="never-verified@example.test")
    EmailAddress.objects.create(user=old, email=old.email, verified=False, primary=True)
    recent = UserFactory(email="just-signed-up@example.test")
    User.objects.filter(pk__in=[old.pk, learner.pk]).update(date_joined=timezone.now() - timedelta(days=31))

    assert tasks.delete_unverified_accounts() == 1
    assert not User.objects.filter(pk=old.pk).exists()
    assert User.objects.filter(pk__in=[recent.pk, learner.pk]).count() == 2


def test_sign_in_records_older_than_the_period_are_deleted(learner):
    kept = SignInDevice.objects.create(user=learner, ip_address="203.0.113.1", user_agent_hash="a")
    old = SignInDevice.objects.create(user=learner, ip_address="203.0.113.2", user_agent_hash="b")
    SignInDevice.objects.filter(pk=old.pk).update(last_seen=timezone.now() - timedelta(days=91))
    deleted = tasks.delete_old_login_records()
    assert deleted["account_notices.SignInDevice"] == 1
    assert list(SignInDevice.objects.values_list("pk", flat=True)) == [kept.pk]


def test_migrate_creates_the_schedules():
    call_command("migrate", verbosity=0)
    names = set(Schedule.objects.values_list("name", flat=True))
    assert {item["name"] for item in SCHEDULES} <= names
