"""Stripe's events, each handled once, dispatched by type.

The event is recorded and handled in one transaction: a duplicate delivery hits the
unique (provider, event_id) key and is acknowledged without doing anything, and a
handler that crashes rolls its record back too, so Stripe's retry gets a fresh try.
Only a Checkout Session whose `payment_status` is "paid" activates an order — never the
learner's browser coming back to the success URL.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Order, WebhookEvent
from ..money import to_minor
from . import orders

logger = logging.getLogger(__name__)


class StripeWebhookHandler:
    provider = "stripe"

    def __init__(self, event: dict):
        self.event = event

    def handle(self) -> str:
        """Record and process the event; returns what happened, in a few words."""
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = WebhookEvent.objects.create(
                        provider=self.provider,
                        event_id=self.event["id"],
                        type=self.event["type"],
                        payload=self.event,
                    )
            except IntegrityError:
                return "duplicate"
            handler = self.handlers.get(self.event["type"])
            outcome = handler(self, self.event["data"]["object"]) if handler else "ignored"
            record.outcome = outcome[:255]
            record.processed_at = timezone.now()
            record.save(update_fields=["outcome", "processed_at"])
        return outcome

    def session_completed(self, session: dict) -> str:
        order = self._order_for(session)
        if order is None:
            return "unknown order"
        orders.attach_provider_reference(order, session["id"])
        if session.get("payment_status") != "paid":
            # Delayed methods (bank debits) finish later with async_payment_succeeded/failed.
            return f"awaiting payment ({session.get('payment_status')})"
        return self._pay(order, session)

    def async_payment_succeeded(self, session: dict) -> str:
        order = self._order_for(session)
        if order is None:
            return "unknown order"
        return self._pay(order, session)

    def async_payment_failed(self, session: dict) -> str:
        order = self._order_for(session)
        if order is None:
            return "unknown order"
        return self._close(orders.fail, order)

    def session_expired(self, session: dict) -> str:
        order = self._order_for(session)
        if order is None:
            return "unknown order"
        return self._close(orders.cancel, order)

    handlers = {
        "checkout.session.completed": session_completed,
        "checkout.session.async_payment_succeeded": async_payment_succeeded,
        "checkout.session.async_payment_failed": async_payment_failed,
        "checkout.session.expired": session_expired,
    }

    def _order_for(self, session: dict) -> Order | None:
        reference = (session.get("metadata") or {}).get("order_reference") or session.get(
            "client_reference_id"
        )
        order = Order.objects.filter(reference=reference).first() if reference else None
        if order is None:
            logger.warning("stripe event %s names no order we know (%r)", self.event["id"], reference)
        return order

    def _pay(self, order: Order, session: dict) -> str:
        if session.get("payment_status") != "paid":
            return f"not paid ({session.get('payment_status')})"
        expected = to_minor(order.amount, order.currency)
        paid_currency = (session.get("currency") or "").upper()
        if session.get("amount_total") != expected or paid_currency != order.currency.upper():
            # Someone paid a different sum than the order asks: a human has to look.
            logger.error(
                "stripe session %s paid %s %s for order %s, which asks %s %s",
                session["id"],
                session.get("amount_total"),
                paid_currency,
                order.reference,
                expected,
                order.currency,
            )
            return "amount mismatch"
        try:
            orders.confirm_order(order, reference=session["id"])
        except orders.OrderError as error:
            logger.error("stripe paid for an order that cannot be paid: %s", error)
            return f"not activated: {error}"
        return "paid"

    def _close(self, close, order: Order) -> str:
        try:
            order = close(order)
        except orders.OrderError as error:
            return f"unchanged: {error}"
        return order.status
