"""Admins manage tiers and subscriptions in the Wagtail admin; every change is audited."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse

import pytest

from memberships import policy
from memberships.models import Subscription, SubscriptionEvent, Tier

pytestmark = pytest.mark.django_db


def test_admin_sees_tiers_and_subscriptions_in_one_memberships_menu(client, admin_user, silver):
    client.force_login(admin_user)
    response = client.get(reverse("membership_subscriptions:index"))
    assert response.status_code == 200
    assert silver.email in response.content.decode()
    response = client.get(reverse("membership_tiers:index"))
    assert ["Bronze", "Silver", "Gold"] == [
        name for name in ["Bronze", "Silver", "Gold"] if name in response.content.decode()
    ]
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Memberships" in menu


def test_admin_renames_and_reprices_a_tier(client, admin_user, tiers):
    client.force_login(admin_user)
    silver = tiers["silver"]
    data = {
        "name": "Silver Plus",
        "slug": "silver",
        "rank": silver.rank,
        "tagline": silver.tagline,
        "price": "349000",
        "currency": "VND",
        "billing_period": "month",
        "max_video_height": 1080,
        "includes_ebooks": "on",
        "max_devices": 2,
        "features": "Premium courses",
        "is_active": "on",
    }
    response = client.post(reverse("membership_tiers:edit", args=[silver.pk]), data)
    assert response.status_code == 302
    silver.refresh_from_db()
    assert (silver.name, str(silver.price)) == ("Silver Plus", "349000.00")


def test_grant_extend_and_revoke_are_audited_with_the_admin_as_actor(
    client, admin_user, bronze, tiers, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("membership_subscriptions:grant"),
            {
                "email": bronze.email.upper(),
                "tier": tiers["gold"].pk,
                "days": 14,
                "note": "conference speaker",
            },
        )
    assert response.status_code == 302
    subscription = Subscription.objects.get(user=bronze)
    assert policy.tier_of(type(bronze).objects.get(pk=bronze.pk)) == tiers["gold"]
    assert subscription.ends_at - subscription.starts_at == timedelta(days=14)
    assert mail.outbox[-1].to == [bronze.email]

    ends = subscription.ends_at
    client.post(reverse("membership_subscriptions:extend", args=[subscription.pk]), {"days": 7, "note": ""})
    subscription.refresh_from_db()
    assert subscription.ends_at == ends + timedelta(days=7)

    client.post(reverse("membership_subscriptions:revoke", args=[subscription.pk]), {"note": "refunded"})
    assert policy.tier_of(type(bronze).objects.get(pk=bronze.pk)) == tiers["bronze"]
    events = SubscriptionEvent.objects.filter(subscription=subscription).order_by("at")
    assert [(e.action, e.actor_id) for e in events] == [
        ("granted", admin_user.pk),
        ("extended", admin_user.pk),
        ("revoked", admin_user.pk),
    ]
    assert events.last().note == "refunded"


def test_grant_to_an_unknown_email_says_so_and_creates_nothing(client, admin_user, tiers):
    client.force_login(admin_user)
    response = client.post(
        reverse("membership_subscriptions:grant"),
        {"email": "nobody@example.test", "tier": tiers["gold"].pk, "days": 30},
    )
    assert response.status_code == 200
    assert "No learner has the email nobody@example.test" in response.content.decode()
    assert not Subscription.objects.exists()


def test_revoke_needs_a_reason(client, admin_user, silver):
    client.force_login(admin_user)
    subscription = Subscription.objects.get(user=silver)
    response = client.post(reverse("membership_subscriptions:revoke", args=[subscription.pk]), {"note": ""})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_current


@pytest.mark.parametrize("who", ["editor", "instructor", "silver"])
def test_people_without_subscription_permissions_cannot_grant(client, request, who, tiers):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post(
        reverse("membership_subscriptions:grant"),
        {"email": user.email, "tier": tiers["gold"].pk, "days": 365},
    )
    assert response.status_code in (302, 403)
    assert not Subscription.objects.filter(user=user, tier=tiers["gold"]).exists()


def test_retired_tier_is_not_sold_but_members_keep_it(client, silver, tiers):
    Tier.objects.filter(slug="silver").update(is_active=False)
    client.force_login(silver)
    assert "Silver" in client.get(reverse("memberships:pricing")).content.decode()  # their own plan
    client.logout()
    page = client.get(reverse("memberships:pricing")).content.decode()
    assert 'id="tier-silver"' not in page and 'id="tier-gold"' in page


def test_learner_sees_plan_history_and_orders_on_my_membership(client, silver, tiers):
    from memberships.payments import orders

    order = orders.place_order(silver, tiers["gold"], "manual")
    client.force_login(silver)
    page = client.get(reverse("memberships:mine")).content.decode()
    assert "You are on the <strong>Silver</strong> plan." in page
    assert order.reference in page
    assert reverse("memberships:order", args=[order.reference]) in page


def test_my_membership_needs_a_login(client):
    response = client.get(reverse("memberships:mine"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
