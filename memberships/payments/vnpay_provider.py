"""VNPay, wrapped once: the signed payment URL, the signature check on what VNPay sends
back (return URL and IPN), and the merchant API (`querydr`, `refund`).

VNPay's payment URL 2.1.0 signs the request this way: every `vnp_` parameter except the
hash itself, sorted by name, each written `name=value` with the value URL-encoded as a
form value (spaces as `+`), joined with `&`; the signature is the hex HMAC-SHA512 of that
string keyed with the merchant's hash secret. The merchant API (JSON) signs instead the
values of a fixed list of fields joined with `|`, one list per command and per answer.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from ..models import Order
from ..money import to_minor
from .transport import GatewayError, post_json

VERSION = "2.1.0"
# VNPay reads and writes its dates in Vietnam's time, whatever our TIME_ZONE is.
VNPAY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
# An unpaid VNPay page closes after this long; the IPN after it names a closed payment.
PAYMENT_WINDOW_MINUTES = 15

QUERY_FIELDS = (
    "vnp_RequestId vnp_Version vnp_Command vnp_TmnCode vnp_TxnRef vnp_TransactionDate "
    "vnp_CreateDate vnp_IpAddr vnp_OrderInfo"
).split()
QUERY_ANSWER_FIELDS = (
    "vnp_ResponseId vnp_Command vnp_ResponseCode vnp_Message vnp_TmnCode vnp_TxnRef vnp_Amount "
    "vnp_BankCode vnp_PayDate vnp_TransactionNo vnp_TransactionType vnp_TransactionStatus "
    "vnp_OrderInfo vnp_PromotionCode vnp_PromotionAmount"
).split()
REFUND_FIELDS = (
    "vnp_RequestId vnp_Version vnp_Command vnp_TmnCode vnp_TransactionType vnp_TxnRef vnp_Amount "
    "vnp_TransactionNo vnp_TransactionDate vnp_CreateBy vnp_CreateDate vnp_IpAddr vnp_OrderInfo"
).split()
REFUND_ANSWER_FIELDS = (
    "vnp_ResponseId vnp_Command vnp_ResponseCode vnp_Message vnp_TmnCode vnp_TxnRef vnp_Amount "
    "vnp_BankCode vnp_PayDate vnp_TransactionNo vnp_TransactionType vnp_TransactionStatus "
    "vnp_OrderInfo"
).split()

FULL_REFUND = "02"
PARTIAL_REFUND = "03"


class VnpayError(GatewayError):
    """VNPay's API refused a request, or its answer was not signed with our secret."""


@dataclass(frozen=True)
class Transaction:
    """What VNPay's `querydr` says about one of our orders."""

    reference: str
    found: bool
    paid: bool
    amount: Decimal | None
    transaction_no: str
    response_code: str
    status: str


def is_configured() -> bool:
    return bool(settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET)


def hmac_sha512(data: str, secret: str | None = None) -> str:
    key = (settings.VNPAY_HASH_SECRET if secret is None else secret).encode()
    return hmac.new(key, data.encode("utf-8"), hashlib.sha512).hexdigest()


def hash_data(params: dict) -> str:
    """The string VNPay signs: sorted `vnp_` parameters, values form-encoded, joined by `&`."""
    items = sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_") and key not in ("vnp_SecureHash", "vnp_SecureHashType") and value != ""
    )
    return "&".join(f"{key}={quote_plus(value)}" for key, value in items)


def sign(params: dict, secret: str | None = None) -> str:
    return hmac_sha512(hash_data(params), secret)


def verify(params) -> bool:
    """True when `vnp_SecureHash` is VNPay's signature over the other `vnp_` parameters."""
    given = (params.get("vnp_SecureHash") or "").lower()
    return bool(given) and is_configured() and hmac.compare_digest(given, sign(dict(params.items())))


def vnp_amount(order: Order) -> int:
    """VNPay counts in hundredths of a đồng: 990.000 ₫ travels as 99000000."""
    return to_minor(order.amount, "VND") * 100


def vnpay_time(moment: datetime | None = None) -> str:
    return timezone.localtime(moment or timezone.now(), VNPAY_TZ).strftime(DATE_FORMAT)


def payment_url(order: Order, *, return_url: str, client_ip: str, locale: str = "vn") -> str:
    """The signed URL of VNPay's payment page for `order`. The order reference is the
    `vnp_TxnRef`, so the IPN finds the order without trusting the browser."""
    created = order.created_at or timezone.now()
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_Amount": str(vnp_amount(order)),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": order.reference,
        "vnp_OrderInfo": f"Thanh toan don hang {order.reference}",
        "vnp_OrderType": "other",
        "vnp_Locale": locale,
        "vnp_ReturnUrl": return_url,
        "vnp_IpAddr": client_ip or "127.0.0.1",
        "vnp_CreateDate": vnpay_time(created),
        "vnp_ExpireDate": vnpay_time(created + timezone.timedelta(minutes=PAYMENT_WINDOW_MINUTES)),
    }
    query = hash_data(params)
    return f"{settings.VNPAY_PAYMENT_URL}?{query}&vnp_SecureHash={hmac_sha512(query)}"


def _pipe_signature(body: dict, fields) -> str:
    return hmac_sha512("|".join(str(body.get(field, "")) for field in fields))


def _call(body: dict, fields, answer_fields) -> dict:
    body["vnp_SecureHash"] = _pipe_signature(body, fields)
    answer = post_json(settings.VNPAY_API_URL, body)
    given = str(answer.get("vnp_SecureHash", "")).lower()
    if not given or not hmac.compare_digest(given, _pipe_signature(answer, answer_fields)):
        raise VnpayError(f"VNPay's {body['vnp_Command']} answer is not signed with our secret")
    return answer


def _request_base(command: str, order: Order, ip: str) -> dict:
    return {
        "vnp_RequestId": secrets.token_hex(16),
        "vnp_Version": VERSION,
        "vnp_Command": command,
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TxnRef": order.reference,
        "vnp_OrderInfo": f"{command} {order.reference}",
        "vnp_TransactionDate": vnpay_time(order.created_at),
        "vnp_CreateDate": vnpay_time(),
        "vnp_IpAddr": ip,
    }


def query(order: Order, *, ip: str = "127.0.0.1") -> Transaction:
    """VNPay's own record of the payment for `order` (`querydr`)."""
    answer = _call(_request_base("querydr", order, ip), QUERY_FIELDS, QUERY_ANSWER_FIELDS)
    code = str(answer.get("vnp_ResponseCode", ""))
    if code == "91":  # VNPay has no transaction for this reference
        return Transaction(order.reference, False, False, None, "", code, "")
    if code != "00":
        raise VnpayError(f"VNPay querydr for {order.reference} answered {code}: {answer.get('vnp_Message')}")
    status = str(answer.get("vnp_TransactionStatus", ""))
    amount = Decimal(int(answer.get("vnp_Amount") or 0)) / 100
    return Transaction(
        order.reference, True, status == "00", amount, str(answer.get("vnp_TransactionNo", "")), code, status
    )


def refund(order: Order, amount: Decimal, *, actor_name: str, ip: str = "127.0.0.1") -> dict:
    """Ask VNPay to give back `amount` of a paid order (full when it is the whole amount).
    Returns VNPay's signed answer; raises VnpayError unless VNPay accepted it."""
    body = _request_base("refund", order, ip)
    body.update(
        vnp_TransactionType=FULL_REFUND if amount >= order.amount else PARTIAL_REFUND,
        vnp_Amount=str(to_minor(amount, "VND") * 100),
        vnp_TransactionNo=order.provider_reference,
        vnp_TransactionDate=vnpay_time(order.paid_at or order.created_at),
        vnp_CreateBy=actor_name,
    )
    answer = _call(body, REFUND_FIELDS, REFUND_ANSWER_FIELDS)
    if str(answer.get("vnp_ResponseCode")) != "00":
        raise VnpayError(
            f"VNPay refused the refund of {order.reference}: "
            f"{answer.get('vnp_ResponseCode')} {answer.get('vnp_Message')}"
        )
    return answer
