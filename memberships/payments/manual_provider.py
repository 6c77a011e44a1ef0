"""Bank transfer: the order waits while the learner transfers; staff confirm it arrived.

The learner sees the bank details (the BANK_TRANSFER_DETAILS setting) and the order
reference to put in the transfer note; staff match the incoming transfer by that
reference and confirm it in the admin, which grants the membership.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from ..models import Order, PaymentProvider
from . import orders


@dataclass(frozen=True)
class BankTransferInstructions:
    details: str
    reference: str
    amount: Decimal
    currency: str


def instructions(order: Order) -> BankTransferInstructions:
    return BankTransferInstructions(
        details=settings.BANK_TRANSFER_DETAILS,
        reference=order.reference,
        amount=order.amount,
        currency=order.currency,
    )


def confirm(order: Order, *, actor, bank_reference: str = "") -> Order:
    """Staff saw the transfer: confirm the order (idempotent, like every `confirm_order`)."""
    if order.provider != PaymentProvider.MANUAL:
        raise orders.OrderError(f"{order.reference} is not a bank transfer order.")
    return orders.confirm_order(order, reference=bank_reference, actor=actor)
