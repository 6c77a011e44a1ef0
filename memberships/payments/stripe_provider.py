"""Stripe, wrapped once: create a Checkout Session, and verify a webhook's signature.

Nothing else in Lectern imports `stripe`. The API base is a setting so tests can point
the real library at a small fake server on loopback and see exactly what it sends.
"""

import time
from dataclasses import dataclass

from django.conf import settings

import stripe

from ..models import Order
from ..money import to_minor
from .orders import RefundFailed

# Stripe accepts 30 minutes to 24 hours. An hour is plenty to pay by card, and an
# abandoned order (and the coupon use it holds) is freed by `checkout.session.expired` soon.
SESSION_LIFETIME_SECONDS = 60 * 60

SignatureVerificationError = stripe.SignatureVerificationError
StripeError = stripe.StripeError


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


def is_configured() -> bool:
    """Stripe is offered at checkout only when a secret key is set."""
    return bool(settings.STRIPE_SECRET_KEY)


def create_checkout_session(order: Order, *, success_url: str, cancel_url: str) -> CheckoutSession:
    """A one-off payment of `order.amount` for one period of the order's tier.

    The order reference travels as `client_reference_id` and in `metadata`, so the
    webhook finds the order without trusting anything the browser brings back. The
    idempotency key makes a retried request return the same session, never a second one.
    """
    params = {
        "mode": "payment",
        "client_reference_id": order.reference,
        "customer_email": order.email,
        "metadata": {"order_reference": order.reference},
        "payment_intent_data": {"metadata": {"order_reference": order.reference}},
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": order.currency.lower(),
                    "unit_amount": to_minor(order.amount, order.currency),
                    "product_data": {
                        "name": f"{settings.WAGTAIL_SITE_NAME}: {order.description}",
                        "description": order.reference,
                    },
                },
            }
        ],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int(time.time()) + SESSION_LIFETIME_SECONDS,
    }
    session = _client().v1.checkout.sessions.create(
        params=params, options={"idempotency_key": f"lectern-checkout-{order.reference}"}
    )
    return CheckoutSession(id=session.id, url=session.url)


def expire_checkout_session(session_id: str) -> None:
    """Close an open session so it can no longer be paid (raises StripeError if it was
    already completed). Stripe then sends `checkout.session.expired`."""
    _client().v1.checkout.sessions.expire(session_id)


@dataclass(frozen=True)
class PaidSession:
    """A Checkout Session Stripe says was paid, as the reconciliation compares it."""

    id: str
    reference: str
    amount_total: int
    currency: str
    created: int


def list_paid_sessions(created_from: int, created_until: int) -> list[PaidSession]:
    """Stripe's own list of paid Checkout Sessions created in [from, until) (unix times),
    every page of it."""
    sessions = _client().v1.checkout.sessions.list(
        params={"created": {"gte": created_from, "lt": created_until}, "status": "complete", "limit": 100}
    )
    paid = []
    for found in sessions.auto_paging_iter():
        session = found.to_dict()
        if session.get("payment_status") != "paid":
            continue
        metadata = session.get("metadata") or {}
        paid.append(
            PaidSession(
                id=session["id"],
                reference=metadata.get("order_reference") or session.get("client_reference_id") or "",
                amount_total=session.get("amount_total") or 0,
                currency=(session.get("currency") or "").upper(),
                created=session.get("created") or 0,
            )
        )
    return paid


def refund(order: Order, amount, *, actor=None) -> str:
    """Refund `amount` of a card order through Stripe; returns the refund's id.

    The order keeps its Checkout Session id; the refund names the session's
    PaymentIntent. The idempotency key counts the order's refunds so far, so a retried
    request never refunds twice, while a later partial refund is a new one.
    """
    client = _client()
    try:
        session = client.v1.checkout.sessions.retrieve(order.provider_reference)
        created = client.v1.refunds.create(
            params={
                "payment_intent": session.payment_intent,
                "amount": to_minor(amount, order.currency),
                "metadata": {"order_reference": order.reference},
            },
            options={"idempotency_key": f"lectern-refund-{order.reference}-{order.refunds.count() + 1}"},
        )
    except stripe.StripeError as error:
        raise RefundFailed(f"Stripe refused the refund: {error.user_message or error}") from error
    return created.id


def construct_event(payload: bytes, signature_header: str | None) -> dict:
    """The verified event as plain data, or SignatureVerificationError (or ValueError for a
    body that is not JSON). An empty STRIPE_WEBHOOK_SECRET refuses everything."""
    event = stripe.Webhook.construct_event(payload, signature_header, settings.STRIPE_WEBHOOK_SECRET)
    return event.to_dict()


def _client() -> stripe.StripeClient:
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base_addresses, max_network_retries=2
    )
