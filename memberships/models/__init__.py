from .devices import PlaybackSession
from .payments import (
    Coupon,
    CouponKind,
    CouponRedemption,
    MismatchKind,
    Order,
    OrderStatus,
    PaymentProvider,
    ReconciliationMismatch,
    WebhookEvent,
)
from .subscriptions import Subscription, SubscriptionEvent, SubscriptionStatus
from .tiers import BillingPeriod, Tier

__all__ = [
    "BillingPeriod",
    "Coupon",
    "CouponKind",
    "CouponRedemption",
    "MismatchKind",
    "Order",
    "OrderStatus",
    "PaymentProvider",
    "PlaybackSession",
    "ReconciliationMismatch",
    "Subscription",
    "SubscriptionEvent",
    "SubscriptionStatus",
    "Tier",
    "WebhookEvent",
]
