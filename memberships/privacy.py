"""Personal data kept by memberships: subscriptions, orders and payments, playback
devices (see privacy.registry). Orders stay for accounting (10 years under Vietnamese
law) with the buyer replaced by a pseudonym."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.registry import ErasureContext, declare, delete_owned, detach, owned_rows, replace_text, rows

from .models import Order, PlaybackSession, SubscriptionEvent, WebhookEvent


def _pseudonymise_orders(context: ErasureContext):
    return Order.objects.filter(user=context.user).update(
        user=None, email=f"{context.pseudonym}@erased.invalid"
    )


def _forget_in_webhooks(context: ErasureContext):
    # Stripe's events carry the buyer's email and name; VNPay's and MoMo's, the order.
    needles = [*context.emails, context.user.full_name]
    return replace_text(WebhookEvent.objects.all(), ["payload"], needles, context.pseudonym)


def _subscription_events(user) -> list[dict]:
    return rows(
        SubscriptionEvent.objects.filter(subscription__user=user).order_by("pk"),
        "subscription_id",
        "action",
        "note",
        "at",
    )


def _end_playback(context: ErasureContext):
    PlaybackSession.objects.filter(user=context.user, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason="account_deleted"
    )
    return PlaybackSession.objects.filter(user=context.user).delete()


declare(
    "memberships.Subscription",
    fields=["user"],
    purpose=_("Which membership you hold and until when, to open what it includes."),
    retention=_("While the account exists."),
    area="subscriptions",
    export=owned_rows(
        "memberships.Subscription",
        "id",
        "tier__name",
        "starts_at",
        "ends_at",
        "status",
        "provider",
        "created_at",
    ),
    erase=delete_owned("memberships.Subscription"),
    on_erasure=_("Deleted (the orders that paid for them stay)."),
)
declare(
    "memberships.SubscriptionEvent",
    fields=["actor"],
    purpose=_("What happened to a subscription and which staff member did it."),
    retention=_("With its subscription."),
    area="subscriptions",
    export=_subscription_events,
    erase=detach("memberships.SubscriptionEvent", owner="actor"),
    on_erasure=_("A learner's go with their subscriptions; a staff member's actions lose the name."),
)
declare(
    "memberships.Order",
    fields=["user", "email", "confirmed_by"],
    purpose=_("What you bought, for how much, and how you paid: accounting records."),
    retention=_("10 years (accounting law), then deleted."),
    area="orders",
    export=owned_rows(
        "memberships.Order",
        "reference",
        "tier__name",
        "list_price",
        "discount",
        "amount",
        "currency",
        "provider",
        "status",
        "created_at",
        "paid_at",
        "refunded_amount",
        "invoice_company",
        "invoice_tax_code",
        "invoice_address",
    ),
    erase=_pseudonymise_orders,
    on_erasure=_("Kept for accounting; the buyer is replaced by a pseudonym."),
)
declare(
    "memberships.CouponRedemption",
    fields=["user"],
    purpose=_("Which coupon an order used, to hold each coupon's limits."),
    retention=_("With the account."),
    area="orders",
    export=owned_rows("memberships.CouponRedemption", "coupon__code", "order__reference", "created_at"),
    erase=delete_owned("memberships.CouponRedemption"),
    on_erasure=_("Deleted (the order keeps its discount)."),
)
declare(
    "memberships.PlaybackSession",
    fields=["user", "user_agent", "ip_address"],
    purpose=_("The devices playing videos, to hold your plan's device limit."),
    retention=_("While the account exists."),
    area="playback",
    export=owned_rows(
        "memberships.PlaybackSession", "device_id", "user_agent", "ip_address", "started_at", "ended_at"
    ),
    erase=_end_playback,
    on_erasure=_("Ended at once when you ask to delete the account, then deleted."),
)
declare(
    "memberships.CoursePurchase",
    fields=["user"],
    purpose=_("Which courses you bought on their own, to open them for life."),
    retention=_("While the account exists."),
    area="orders",
    export=owned_rows(
        "memberships.CoursePurchase", "course__title", "order__reference", "granted_at", "revoked_at"
    ),
    erase=delete_owned("memberships.CoursePurchase"),
    on_erasure=_("Deleted (the orders that paid for them stay, pseudonymised)."),
)
declare(
    "memberships.Refund",
    fields=["created_by"],
    purpose=_("Which staff member refunded an order: accounting records."),
    retention=_("With its order."),
    area="orders",
    export=owned_rows(
        "memberships.Refund", "order__reference", "amount", "method", "created_at", owner="created_by"
    ),
    erase=detach("memberships.Refund", owner="created_by"),
    on_erasure=_("Kept with the order; the staff member's name is removed."),
)
declare(
    "memberships.WebhookEvent",
    fields=["payload"],
    purpose=_("Each payment provider event we accepted, as proof of payment and against replays."),
    retention=_("10 years, with the orders they confirm."),
    area="orders",
    erase=_forget_in_webhooks,
    on_erasure=_("Kept; the buyer's email and name in them are replaced by the pseudonym."),
)
