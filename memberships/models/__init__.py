from .devices import PlaybackSession
from .payments import (
    Coupon,
    CouponKind,
    CouponRedemption,
    Order,
    OrderStatus,
    PaymentProvider,
    WebhookEvent,
)
from .subscriptions import Subscription, SubscriptionEvent, SubscriptionStatus
from .tiers import BillingPeriod, Tier

__all__ = [
    "BillingPeriod",
    "Coupon",
    "CouponKind",
    "CouponRedemption",
    "Order",
    "OrderStatus",
    "PaymentProvider",
    "PlaybackSession",
    "Subscription",
    "SubscriptionEvent",
    "SubscriptionStatus",
    "Tier",
    "WebhookEvent",
]
