"""VNPay's and MoMo's IPNs: the only thing that confirms an order paid through them.

Both gateways call us server to server with the payment's result, signed. Each IPN is
checked in VNPay's documented order: signature, merchant, order, amount, then the order's
state; only then does a successful payment confirm the order. The order row is locked
for the whole decision, so ten identical IPNs arriving at once confirm it once and the
other nine are told it was already confirmed. The learner's browser coming back to the
return URL never confirms anything.

Each IPN we could verify is recorded once in WebhookEvent (provider, event id) with what
we did about it, like Stripe's events; a replay finds the order already confirmed.
"""

import logging
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Order, OrderStatus, PaymentProvider, WebhookEvent
from . import momo_provider, orders, vnpay_provider

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    PAYMENT_FAILED = "payment failed"
    NOT_FOUND = "order not found"
    ALREADY_CONFIRMED = "already confirmed"
    WRONG_AMOUNT = "wrong amount"
    BAD_SIGNATURE = "bad signature"
    WRONG_MERCHANT = "wrong merchant"
    ERROR = "error"


def confirm(order: Order, *, reference: str) -> Order:
    """The gateway says the money is in: the one call that confirms a gateway's order."""
    return orders.confirm_order(order, reference=reference)


class GatewayIpn:
    """One IPN from one gateway. Subclasses say how to read and verify it."""

    provider: str = ""

    def __init__(self, data: dict):
        self.data = data

    # What each gateway defines -------------------------------------------------------
    def verified(self) -> bool:
        raise NotImplementedError

    def merchant_matches(self) -> bool:
        raise NotImplementedError

    def reference(self) -> str:
        raise NotImplementedError

    def paid_amount(self) -> int:
        raise NotImplementedError

    def expected_amount(self, order: Order) -> int:
        raise NotImplementedError

    def succeeded(self) -> bool:
        raise NotImplementedError

    def transaction_id(self) -> str:
        raise NotImplementedError

    def event_id(self) -> str:
        return f"{self.reference()}:{self.transaction_id()}:{int(self.succeeded())}"

    # The decision, the same for every gateway ----------------------------------------
    def handle(self) -> Outcome:
        if not self.verified():
            logger.warning("%s IPN with a bad signature: %r", self.provider, self.data)
            return Outcome.BAD_SIGNATURE
        if not self.merchant_matches():
            logger.error("%s IPN for another merchant: %r", self.provider, self.data)
            return Outcome.WRONG_MERCHANT
        try:
            with transaction.atomic():
                outcome = self._decide()
                self._record(outcome)
        except Exception:
            logger.exception("%s IPN could not be handled: %r", self.provider, self.data)
            return Outcome.ERROR
        return outcome

    def _decide(self) -> Outcome:
        order = (
            Order.objects.select_for_update(of=("self",))
            .filter(reference=self.reference(), provider=self.provider)
            .first()
        )
        if order is None:
            return Outcome.NOT_FOUND
        if self.paid_amount() != self.expected_amount(order):
            logger.error(
                "%s IPN for %s paid %s, the order asks %s",
                self.provider,
                order.reference,
                self.paid_amount(),
                self.expected_amount(order),
            )
            return Outcome.WRONG_AMOUNT
        if order.status != OrderStatus.PENDING:
            if order.status != OrderStatus.PAID and self.succeeded():
                # Money arrived for an order we closed: a human has to give it back.
                logger.error(
                    "%s took payment for %s, which is %s", self.provider, order.reference, order.status
                )
            return Outcome.ALREADY_CONFIRMED
        if not self.succeeded():
            orders.fail(order)
            return Outcome.PAYMENT_FAILED
        confirm(order, reference=self.transaction_id())
        return Outcome.CONFIRMED

    def _record(self, outcome: Outcome) -> None:
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    provider=self.provider,
                    event_id=self.event_id()[:255],
                    type="ipn",
                    payload=self.data,
                    outcome=outcome.value,
                    processed_at=timezone.now(),
                )
        except IntegrityError:
            pass  # a replay: the first delivery's record stays


class VnpayIpn(GatewayIpn):
    provider = PaymentProvider.VNPAY.value

    # VNPay's RspCode protocol: what we answer for each outcome.
    RESPONSES = {
        Outcome.CONFIRMED: ("00", "Confirm Success"),
        Outcome.PAYMENT_FAILED: ("00", "Confirm Success"),
        Outcome.NOT_FOUND: ("01", "Order not found"),
        Outcome.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
        Outcome.WRONG_AMOUNT: ("04", "Invalid amount"),
        Outcome.BAD_SIGNATURE: ("97", "Invalid signature"),
        Outcome.WRONG_MERCHANT: ("99", "Unknown error"),
        Outcome.ERROR: ("99", "Unknown error"),
    }

    def verified(self) -> bool:
        return vnpay_provider.verify(self.data)

    def merchant_matches(self) -> bool:
        return self.data.get("vnp_TmnCode") == settings.VNPAY_TMN_CODE

    def reference(self) -> str:
        return self.data.get("vnp_TxnRef", "")

    def paid_amount(self) -> int:
        return int(self.data.get("vnp_Amount", ""))

    def expected_amount(self, order: Order) -> int:
        return vnpay_provider.vnp_amount(order)

    def succeeded(self) -> bool:
        return self.data.get("vnp_ResponseCode") == "00" and self.data.get("vnp_TransactionStatus") == "00"

    def transaction_id(self) -> str:
        return self.data.get("vnp_TransactionNo", "")

    def answer(self) -> dict:
        code, message = self.RESPONSES[self.handle()]
        return {"RspCode": code, "Message": message}


class MomoIpn(GatewayIpn):
    provider = PaymentProvider.MOMO.value

    # MoMo wants 204 for an IPN it need not send again.
    STATUSES = {
        Outcome.CONFIRMED: 204,
        Outcome.PAYMENT_FAILED: 204,
        Outcome.ALREADY_CONFIRMED: 204,
        Outcome.NOT_FOUND: 404,
        Outcome.WRONG_AMOUNT: 400,
        Outcome.BAD_SIGNATURE: 400,
        Outcome.WRONG_MERCHANT: 400,
        Outcome.ERROR: 500,
    }

    def verified(self) -> bool:
        return momo_provider.verify_ipn(self.data)

    def merchant_matches(self) -> bool:
        return self.data.get("partnerCode") == settings.MOMO_PARTNER_CODE

    def reference(self) -> str:
        return str(self.data.get("orderId", ""))

    def paid_amount(self) -> int:
        return int(self.data.get("amount"))

    def expected_amount(self, order: Order) -> int:
        return momo_provider.momo_amount(order)

    def succeeded(self) -> bool:
        return self.data.get("resultCode") in (0, "0")

    def transaction_id(self) -> str:
        return str(self.data.get("transId", ""))

    def status(self) -> tuple[Outcome, int]:
        outcome = self.handle()
        return outcome, self.STATUSES[outcome]
