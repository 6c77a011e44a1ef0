"""A learner's tier, as every gated page and every video key request reads it.

`Tier.objects.held_by` is a hand-written statement (it runs on every key request); these
tests hold it to the ORM's definition of a current subscription, at every boundary.
"""

from datetime import timedelta

from django.utils import timezone

import pytest

from memberships import policy
from memberships.models import Subscription, SubscriptionStatus, Tier

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=123456)
SECOND = timedelta(seconds=1)


def orm_answer(user, at):
    best = Subscription.objects.current(at).filter(user=user).order_by("-tier__rank").first()
    return best.tier if best else Tier.objects.order_by("rank").first()


def subscribe(user, slug, *, starts=NOW - timedelta(days=1), ends=None, status=SubscriptionStatus.ACTIVE):
    return Subscription.objects.create(
        user=user, tier=Tier.objects.get(slug=slug), starts_at=starts, ends_at=ends, status=status
    )


CASES = {
    "no subscription: the free tier": [],
    "open-ended gold": [("gold", {})],
    "starts exactly now: counts": [("gold", {"starts": NOW})],
    "starts a second from now: not yet": [("gold", {"starts": NOW + SECOND})],
    "ends exactly now: over": [("gold", {"ends": NOW})],
    "ends a second from now: still on": [("gold", {"ends": NOW + SECOND})],
    "expired status": [("gold", {"status": SubscriptionStatus.EXPIRED})],
    "revoked status": [("gold", {"status": SubscriptionStatus.REVOKED, "ends": NOW + timedelta(days=9)})],
    "silver and gold at once: the best": [("silver", {}), ("gold", {"ends": NOW + timedelta(days=3)})],
    "lapsed gold, current silver": [("gold", {"ends": NOW - SECOND}), ("silver", {})],
}


@pytest.mark.parametrize("case", CASES)
def test_held_by_agrees_with_the_orm_definition_of_current(tiers, case):
    learner, somebody_else = UserFactory(), UserFactory()
    subscribe(somebody_else, "gold")  # never leaks into another learner's answer
    for slug, options in CASES[case]:
        subscribe(learner, slug, **options)

    held = Tier.objects.held_by(learner.pk, at=NOW)

    expected = orm_answer(learner, NOW)
    assert held == expected
    # Loaded as the ORM loads it: every field, with its Python type (Decimal prices,
    # booleans on SQLite too).
    for field in Tier._meta.concrete_fields:
        got, want = getattr(held, field.attname), getattr(expected, field.attname)
        assert (got, type(got)) == (want, type(want)), field.name
    assert not held._state.adding and held._state.db == expected._state.db


def test_lapsing_changes_the_tier_on_the_next_request(tiers):
    learner = UserFactory()
    subscription = subscribe(learner, "gold", ends=timezone.now() + timedelta(hours=1))
    assert policy.tier_of(learner).slug == "gold"

    Subscription.objects.filter(pk=subscription.pk).update(ends_at=timezone.now() - SECOND)
    next_request_user = type(learner).objects.get(pk=learner.pk)

    assert policy.tier_of(next_request_user).slug == "bronze"


def test_no_tiers_at_all_means_no_tier(db):
    Tier.objects.all().delete()

    assert Tier.objects.held_by(UserFactory().pk) is None
