"""Courses bought on their own: grant when an order is confirmed, revoke on refund.

Only `payments.orders.confirm_order` grants and only `payments.refunds` revokes; both
drop the policy's per-request cache so the same request sees the change.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import policy
from .models import CoursePurchase


def grant(user, course, *, order=None) -> CoursePurchase:
    """`user` owns `course` for life. Idempotent: a live purchase is returned as it is."""
    existing = CoursePurchase.objects.live().filter(user=user, course=course).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            purchase = CoursePurchase.objects.create(user=user, course=course, order=order)
    except IntegrityError:
        # Two confirmations raced; the live-purchase constraint let one through.
        purchase = CoursePurchase.objects.live().get(user=user, course=course)
    policy.forget_purchases(user)
    return purchase


def revoke_for_order(order, *, reason: str = "") -> int:
    """End the purchases `order` paid for (a refund). Returns how many ended."""
    ended = (
        CoursePurchase.objects.live()
        .filter(order=order)
        .update(revoked_at=timezone.now(), revoke_reason=reason[:200])
    )
    if order.user is not None:
        policy.forget_purchases(order.user)
    return ended


def bought_courses(user):
    """The courses `user` owns now, newest purchase first (for "My learning")."""
    return CoursePurchase.objects.live().filter(user=user).select_related("course").order_by("-granted_at")
