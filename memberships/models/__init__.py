from .devices import PlaybackSession
from .payments import (
    Coupon,
    CouponKind,
    CouponRedemption,
    ItemKind,
    MismatchKind,
    Order,
    OrderItem,
    OrderStatus,
    PaymentProvider,
    ReconciliationMismatch,
    Refund,
    RefundMethod,
    WebhookEvent,
)
from .purchases import CoursePurchase
from .subscriptions import Subscription, SubscriptionEvent, SubscriptionStatus
from .tiers import BillingPeriod, Tier

__all__ = [
    "BillingPeriod",
    "Coupon",
    "CouponKind",
    "CouponRedemption",
    "CoursePurchase",
    "ItemKind",
    "MismatchKind",
    "Order",
    "OrderItem",
    "OrderStatus",
    "PaymentProvider",
    "PlaybackSession",
    "ReconciliationMismatch",
    "Refund",
    "RefundMethod",
    "Subscription",
    "SubscriptionEvent",
    "SubscriptionStatus",
    "Tier",
    "WebhookEvent",
]
