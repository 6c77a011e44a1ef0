"""MoMo, wrapped once: the "captureWallet" one-time payment (API v2), the signature check
on its IPN, and the status query and refund endpoints.

MoMo signs with HMAC-SHA256 (hex, keyed with the secret key) over a raw string of
`name=value` pairs joined with `&`, names in alphabetical order, values as they are (not
URL-encoded). Each request and the IPN have their own documented list of names; the
access key is one of them although it never travels in the body.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from ..models import Order
from ..money import to_minor
from .transport import GatewayError, post_json

CREATE_FIELDS = (
    "accessKey amount extraData ipnUrl orderId orderInfo partnerCode redirectUrl requestId requestType"
).split()
IPN_FIELDS = (
    "accessKey amount extraData message orderId orderInfo orderType partnerCode payType requestId "
    "responseTime resultCode transId"
).split()
QUERY_FIELDS = "accessKey orderId partnerCode requestId".split()
REFUND_FIELDS = "accessKey amount description orderId partnerCode requestId transId".split()

SUCCESS = 0
# The query's answer for an order MoMo has never seen; any other code describes a
# payment MoMo knows (0 paid, 1000 waiting for the payer, 1005/1006 expired or declined …).
NOT_FOUND = 42


class MomoError(GatewayError):
    """MoMo refused a request."""


@dataclass(frozen=True)
class Transaction:
    """What MoMo's status query says about one of our orders."""

    reference: str
    found: bool
    paid: bool
    amount: Decimal | None
    trans_id: str
    result_code: int


def is_configured() -> bool:
    return bool(settings.MOMO_PARTNER_CODE and settings.MOMO_ACCESS_KEY and settings.MOMO_SECRET_KEY)


def raw_signature(values: dict, fields) -> str:
    """The documented raw string: the listed names in alphabetical order, `name=value`
    joined with `&`, the access key taken from our settings."""
    values = {**values, "accessKey": settings.MOMO_ACCESS_KEY}
    return "&".join(f"{name}={values.get(name, '')}" for name in sorted(fields))


def sign(values: dict, fields, secret: str | None = None) -> str:
    key = (settings.MOMO_SECRET_KEY if secret is None else secret).encode()
    return hmac.new(key, raw_signature(values, fields).encode("utf-8"), hashlib.sha256).hexdigest()


def verify_ipn(body: dict) -> bool:
    given = str(body.get("signature") or "").lower()
    return bool(given) and is_configured() and hmac.compare_digest(given, sign(body, IPN_FIELDS))


def momo_amount(order: Order) -> int:
    return to_minor(order.amount, "VND")


def _url(path: str) -> str:
    return settings.MOMO_ENDPOINT.rstrip("/") + path


def create_payment(order: Order, *, redirect_url: str, ipn_url: str) -> str:
    """Create the MoMo payment for `order`; returns MoMo's `payUrl` for the learner.
    The order reference is MoMo's `orderId`, so the IPN finds the order by it."""
    body = {
        "partnerCode": settings.MOMO_PARTNER_CODE,
        "requestId": f"{order.reference}-{secrets.token_hex(4)}",
        "amount": momo_amount(order),
        "orderId": order.reference,
        "orderInfo": f"{settings.WAGTAIL_SITE_NAME} {order.reference}",
        "redirectUrl": redirect_url,
        "ipnUrl": ipn_url,
        "requestType": "captureWallet",
        "extraData": "",
        "autoCapture": True,
        "lang": "vi",
    }
    body["signature"] = sign(body, CREATE_FIELDS)
    answer = post_json(_url("/v2/gateway/api/create"), body)
    if answer.get("resultCode") != SUCCESS or not answer.get("payUrl"):
        raise MomoError(
            f"MoMo create for {order.reference} answered {answer.get('resultCode')}: {answer.get('message')}"
        )
    return answer["payUrl"]


def query(order: Order) -> Transaction:
    """MoMo's own record of the payment for `order` (the transaction status query)."""
    body = {
        "partnerCode": settings.MOMO_PARTNER_CODE,
        "requestId": f"{order.reference}-q{secrets.token_hex(4)}",
        "orderId": order.reference,
        "lang": "en",
    }
    body["signature"] = sign(body, QUERY_FIELDS)
    answer = post_json(_url("/v2/gateway/api/query"), body)
    code = answer.get("resultCode")
    if code == NOT_FOUND:
        return Transaction(order.reference, False, False, None, "", code)
    if not isinstance(code, int):
        raise MomoError(f"MoMo query for {order.reference} answered {code}: {answer.get('message')}")
    amount = Decimal(int(answer["amount"])) if answer.get("amount") is not None else None
    return Transaction(order.reference, True, code == SUCCESS, amount, str(answer.get("transId", "")), code)


def refund(order: Order, amount: Decimal, *, description: str = "") -> dict:
    """Ask MoMo to give back `amount` of a paid order; raises MomoError unless accepted."""
    body = {
        "partnerCode": settings.MOMO_PARTNER_CODE,
        "orderId": f"{order.reference}-R{secrets.token_hex(3)}",
        "requestId": f"{order.reference}-r{secrets.token_hex(4)}",
        "amount": to_minor(amount, "VND"),
        # MoMo's transId is a number; it is kept as text on the order.
        "transId": int(order.provider_reference)
        if order.provider_reference.isdigit()
        else order.provider_reference,
        "lang": "en",
        "description": description,
    }
    body["signature"] = sign(body, REFUND_FIELDS)
    answer = post_json(_url("/v2/gateway/api/refund"), body)
    if answer.get("resultCode") != SUCCESS:
        raise MomoError(
            f"MoMo refused the refund of {order.reference}: {answer.get('resultCode')} {answer.get('message')}"
        )
    return answer
