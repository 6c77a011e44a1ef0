"""Stand-ins for VNPay and MoMo on loopback: their APIs, their payment pages, their IPNs.

Each is a small HTTP server that behaves like the real gateway at its edge. It checks
every signature we send with the gateway's documented algorithm, written out here on
its own (never by calling our code), refuses what does not verify, and signs what it
sends back (IPNs, return URLs, API answers) the same documented way. Tests read
`.requests` to see what we sent and `.refused` for what failed verification, and fill
`.transactions` to give the gateway records of its own (reconciliation).

Also: the documented signing algorithms as plain functions, for tests to sign IPNs.
"""

import hashlib
import hmac
import json
import threading
import urllib.error
import urllib.request
from datetime import datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

VNPAY_TMN_CODE = "LECTERN1"
VNPAY_SECRET = "VNPAYSANDBOXSECRETKEY0123456789AB"
MOMO_PARTNER_CODE = "MOMOLECTERN2026"
MOMO_ACCESS_KEY = "lecternAccessKey"
MOMO_SECRET_KEY = "lecternMomoSecretKey0123456789ab"

# --- the documented algorithms ---------------------------------------------------------


def vnpay_signature(params: dict, secret: str = VNPAY_SECRET) -> str:
    """VNPay 2.1.0: the vnp_ parameters except the hash, sorted by name, `name=value` with
    the value form-encoded (urllib's quote_plus, as VNPay's Python sample does), joined by
    `&`; hex HMAC-SHA512 keyed with the hash secret."""
    pairs = sorted(
        (k, str(v))
        for k, v in params.items()
        if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType") and str(v) != ""
    )
    data = "&".join(f"{k}={quote_plus(v)}" for k, v in pairs)
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def vnpay_pipe_signature(body: dict, fields: list[str], secret: str = VNPAY_SECRET) -> str:
    """VNPay's merchant API (querydr, refund): the listed fields' values joined by `|`."""
    data = "|".join(str(body.get(field, "")) for field in fields)
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def signed_vnpay(params: dict, secret: str = VNPAY_SECRET) -> dict:
    return {**params, "vnp_SecureHashType": "HmacSHA512", "vnp_SecureHash": vnpay_signature(params, secret)}


MOMO_CREATE = (
    "accessKey amount extraData ipnUrl orderId orderInfo partnerCode redirectUrl requestId requestType"
)
MOMO_IPN = (
    "accessKey amount extraData message orderId orderInfo orderType partnerCode payType requestId "
    "responseTime resultCode transId"
)
MOMO_QUERY = "accessKey orderId partnerCode requestId"
MOMO_REFUND = "accessKey amount description orderId partnerCode requestId transId"


def momo_signature(values: dict, names: str, secret: str = MOMO_SECRET_KEY) -> str:
    """MoMo v2: `name=value` for the documented names in alphabetical order, raw values,
    joined by `&`, accessKey included; hex HMAC-SHA256 keyed with the secret key."""
    values = {**values, "accessKey": MOMO_ACCESS_KEY}
    raw = "&".join(f"{name}={values.get(name, '')}" for name in sorted(names.split()))
    return hmac.new(secret.encode(), raw.encode(), hashlib.sha256).hexdigest()


def signed_momo_ipn(values: dict, secret: str = MOMO_SECRET_KEY) -> dict:
    return {**values, "signature": momo_signature(values, MOMO_IPN, secret)}


VNPAY_QUERY = (
    "vnp_RequestId vnp_Version vnp_Command vnp_TmnCode vnp_TxnRef vnp_TransactionDate "
    "vnp_CreateDate vnp_IpAddr vnp_OrderInfo"
).split()
VNPAY_QUERY_ANSWER = (
    "vnp_ResponseId vnp_Command vnp_ResponseCode vnp_Message vnp_TmnCode vnp_TxnRef vnp_Amount "
    "vnp_BankCode vnp_PayDate vnp_TransactionNo vnp_TransactionType vnp_TransactionStatus "
    "vnp_OrderInfo vnp_PromotionCode vnp_PromotionAmount"
).split()
VNPAY_REFUND = (
    "vnp_RequestId vnp_Version vnp_Command vnp_TmnCode vnp_TransactionType vnp_TxnRef vnp_Amount "
    "vnp_TransactionNo vnp_TransactionDate vnp_CreateBy vnp_CreateDate vnp_IpAddr vnp_OrderInfo"
).split()
VNPAY_REFUND_ANSWER = VNPAY_QUERY_ANSWER[:13]

_numbers = count(14422574)


def _now() -> str:
    return datetime.now().strftime("%Y%m%d%H%M%S")


# --- the servers -----------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def _send(self, status: int, body: bytes = b"", content_type="application/json", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 204:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and status != 204:
            self.wfile.write(body)

    def _json(self, answer: dict, status: int = 200):
        self._send(status, json.dumps(answer).encode())

    def _page(self, title: str, body: str, status: int = 200):
        html = (
            f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
        )
        self._send(status, html.encode(), "text/html; charset=utf-8")

    def _redirect(self, url: str):
        self._send(302, b"", headers={"Location": url})


def fetch(url: str, *, body: dict | None = None) -> tuple[int, str]:
    """GET `url` (or POST `body` as JSON) on loopback; (status, text), errors included."""
    if not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise ValueError(f"{url} is not on loopback")
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _call_back(url: str, *, query: dict | None = None, body: dict | None = None) -> tuple[int, str]:
    """The gateway calling the merchant's IPN, server to server."""
    if query is not None:
        return fetch(f"{url}?{urlencode(query)}")
    return fetch(url, body=body)


class _VnpayHandler(_Handler):
    server: "VnpayStandIn"

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path != "/paymentv2/vpcpay.html":
            return self._send(404)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        self.server.requests.append({"path": url.path, "params": params})
        if params.get("vnp_SecureHash", "").lower() != vnpay_signature(params):
            self.server.refused.append(params)
            return self._page("Sai chữ ký", "<p>Invalid signature (code 70).</p>", 400)
        if params.get("vnp_TmnCode") != self.server.tmn_code:
            self.server.refused.append(params)
            return self._page("Website không tồn tại", "<p>Unknown merchant (code 72).</p>", 400)
        reference = params["vnp_TxnRef"]
        self.server.transactions.setdefault(
            reference,
            {"amount": int(params["vnp_Amount"]), "status": "01", "transaction_no": "", "params": params},
        )
        amount = f"{int(params['vnp_Amount']) // 100:,}".replace(",", ".")
        self._page(
            "VNPay sandbox",
            f"<p>Đơn hàng <strong>{escape(reference)}</strong>: {escape(params['vnp_OrderInfo'])}</p>"
            f'<p>Số tiền: <strong data-testid="vnpay-amount">{amount} VND</strong></p>'
            '<form method="post" action="/paymentv2/pay">'
            f'<input type="hidden" name="ref" value="{escape(reference)}">'
            '<button name="action" value="pay">Thanh toán (Pay)</button> '
            '<button name="action" value="cancel">Hủy (Cancel)</button></form>',
        )

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path == "/paymentv2/pay":
            return self._pay(dict(parse_qsl(self._body().decode())))
        if url.path == "/merchant_webapi/api/transaction":
            return self._api(json.loads(self._body()))
        return self._send(404)

    def _pay(self, form: dict):
        record = self.server.transactions[form["ref"]]
        sent = record["params"]
        paid = form.get("action") == "pay"
        record["transaction_no"] = str(next(_numbers))
        record["status"] = "00" if paid else "02"
        result = signed_vnpay(
            {
                "vnp_Amount": sent["vnp_Amount"],
                "vnp_BankCode": "NCB",
                "vnp_BankTranNo": f"VNP{record['transaction_no']}",
                "vnp_CardType": "ATM",
                "vnp_OrderInfo": sent["vnp_OrderInfo"],
                "vnp_PayDate": _now(),
                "vnp_ResponseCode": "00" if paid else "24",
                "vnp_TmnCode": sent["vnp_TmnCode"],
                "vnp_TransactionNo": record["transaction_no"],
                "vnp_TransactionStatus": record["status"],
                "vnp_TxnRef": form["ref"],
            },
            self.server.secret,
        )
        if self.server.ipn_url:
            self.server.ipn_answers.append(_call_back(self.server.ipn_url, query=result))
        self._redirect(f"{sent['vnp_ReturnUrl']}?{urlencode(result)}")

    def _api(self, body: dict):
        self.server.requests.append({"path": "/merchant_webapi/api/transaction", "body": body})
        command = body.get("vnp_Command")
        fields = VNPAY_QUERY if command == "querydr" else VNPAY_REFUND
        if body.get("vnp_SecureHash", "").lower() != vnpay_pipe_signature(body, fields, self.server.secret):
            self.server.refused.append(body)
            return self._json({"vnp_ResponseCode": "97", "vnp_Message": "Invalid Checksum"})
        record = self.server.transactions.get(body.get("vnp_TxnRef"))
        answer = {
            "vnp_ResponseId": body["vnp_RequestId"],
            "vnp_Command": command,
            "vnp_TmnCode": body["vnp_TmnCode"],
            "vnp_TxnRef": body["vnp_TxnRef"],
            "vnp_OrderInfo": body["vnp_OrderInfo"],
            "vnp_BankCode": "NCB",
            "vnp_PayDate": _now(),
            "vnp_PromotionCode": "",
            "vnp_PromotionAmount": "",
        }
        if record is None:
            answer.update(vnp_ResponseCode="91", vnp_Message="Transaction not found")
            fields = VNPAY_QUERY_ANSWER
        elif command == "querydr":
            answer.update(
                vnp_ResponseCode="00",
                vnp_Message="QueryDR Success",
                vnp_Amount=str(record["amount"]),
                vnp_TransactionNo=record["transaction_no"],
                vnp_TransactionType="01",
                vnp_TransactionStatus=record["status"],
            )
            fields = VNPAY_QUERY_ANSWER
        else:
            record.setdefault("refunds", []).append(int(body["vnp_Amount"]))
            answer.update(
                vnp_ResponseCode="00",
                vnp_Message="Refund success",
                vnp_Amount=body["vnp_Amount"],
                vnp_TransactionNo=record["transaction_no"],
                vnp_TransactionType=body["vnp_TransactionType"],
                vnp_TransactionStatus="05",
            )
            fields = VNPAY_REFUND_ANSWER
        answer["vnp_SecureHash"] = vnpay_pipe_signature(answer, fields, self.server.secret)
        self._json(answer)


class _MomoHandler(_Handler):
    server: "MomoStandIn"

    def do_GET(self):
        url = urlsplit(self.path)
        if not url.path.startswith("/pay/"):
            return self._send(404)
        order_id = url.path.removeprefix("/pay/")
        record = self.server.transactions.get(order_id)
        if record is None:
            return self._page("Không tìm thấy", "<p>Unknown payment.</p>", 404)
        self._page(
            "MoMo sandbox",
            f"<p>{escape(record['create']['orderInfo'])}: <strong>{record['amount']} VND</strong></p>"
            f'<form method="post" action="/pay/{escape(order_id)}">'
            '<button name="action" value="pay">Xác nhận (Pay)</button> '
            '<button name="action" value="cancel">Hủy (Cancel)</button></form>',
        )

    def do_POST(self):
        url = urlsplit(self.path)
        raw = self._body()
        if url.path.startswith("/pay/"):
            return self._pay(url.path.removeprefix("/pay/"), dict(parse_qsl(raw.decode())))
        body = json.loads(raw)
        self.server.requests.append({"path": url.path, "body": body})
        names = {
            "/v2/gateway/api/create": MOMO_CREATE,
            "/v2/gateway/api/query": MOMO_QUERY,
            "/v2/gateway/api/refund": MOMO_REFUND,
        }.get(url.path)
        if names is None:
            return self._send(404)
        if body.get("signature") != momo_signature(body, names, self.server.secret):
            self.server.refused.append(body)
            return self._json({"resultCode": 11, "message": "Access denied: invalid signature"}, 400)
        if body.get("partnerCode") != self.server.partner_code:
            self.server.refused.append(body)
            return self._json({"resultCode": 11, "message": "Access denied: unknown partner"}, 400)
        getattr(self, url.path.rsplit("/", 1)[-1])(body)

    def create(self, body):
        self.server.transactions[body["orderId"]] = {
            "amount": int(body["amount"]),
            "status": 1000,
            "create": body,
        }
        self._json(
            {
                "partnerCode": body["partnerCode"],
                "orderId": body["orderId"],
                "requestId": body["requestId"],
                "amount": body["amount"],
                "responseTime": 1700000000000,
                "message": "Successful.",
                "resultCode": 0,
                "payUrl": f"{self.server.url}/pay/{body['orderId']}",
            }
        )

    def query(self, body):
        record = self.server.transactions.get(body["orderId"])
        if record is None:
            return self._json({"orderId": body["orderId"], "resultCode": 42, "message": "Order not found."})
        self._json(
            {
                "partnerCode": body["partnerCode"],
                "orderId": body["orderId"],
                "requestId": body["requestId"],
                "amount": record["amount"],
                "transId": record.get("trans_id", 0),
                "resultCode": record["status"],
                "message": "Successful." if record["status"] == 0 else "Pending.",
                "responseTime": 1700000000000,
            }
        )

    def refund(self, body):
        self.server.refunds.append(body)
        self._json(
            {
                "partnerCode": body["partnerCode"],
                "orderId": body["orderId"],
                "requestId": body["requestId"],
                "amount": body["amount"],
                "transId": body["transId"],
                "resultCode": 0,
                "message": "Successful.",
            }
        )

    def _pay(self, order_id: str, form: dict):
        record = self.server.transactions[order_id]
        create = record["create"]
        paid = form.get("action") == "pay"
        record["trans_id"] = next(_numbers)
        record["status"] = 0 if paid else 1006
        ipn = signed_momo_ipn(
            {
                "partnerCode": create["partnerCode"],
                "orderId": order_id,
                "requestId": create["requestId"],
                "amount": record["amount"],
                "orderInfo": create["orderInfo"],
                "orderType": "momo_wallet",
                "transId": record["trans_id"],
                "resultCode": record["status"],
                "message": "Successful." if paid else "Transaction denied by user.",
                "payType": "qr",
                "responseTime": 1700000000000,
                "extraData": create["extraData"],
            },
            self.server.secret,
        )
        self.server.ipn_answers.append(_call_back(create["ipnUrl"], body=ipn))
        self._redirect(f"{create['redirectUrl']}?{urlencode(ipn)}")


class _StandIn(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler):
        super().__init__(("127.0.0.1", 0), handler)
        self.requests, self.refused, self.ipn_answers = [], [], []
        self.transactions: dict[str, dict] = {}
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)


class VnpayStandIn(_StandIn):
    def __init__(self):
        super().__init__(_VnpayHandler)
        self.tmn_code, self.secret = VNPAY_TMN_CODE, VNPAY_SECRET
        self.ipn_url = ""  # VNPay's merchant portal holds it, not the request

    def configure(self, settings):
        settings.VNPAY_TMN_CODE = self.tmn_code
        settings.VNPAY_HASH_SECRET = self.secret
        settings.VNPAY_PAYMENT_URL = f"{self.url}/paymentv2/vpcpay.html"
        settings.VNPAY_API_URL = f"{self.url}/merchant_webapi/api/transaction"


class MomoStandIn(_StandIn):
    def __init__(self):
        super().__init__(_MomoHandler)
        self.partner_code, self.secret = MOMO_PARTNER_CODE, MOMO_SECRET_KEY
        self.refunds = []

    def configure(self, settings):
        settings.MOMO_PARTNER_CODE = self.partner_code
        settings.MOMO_ACCESS_KEY = MOMO_ACCESS_KEY
        settings.MOMO_SECRET_KEY = self.secret
        settings.MOMO_ENDPOINT = self.url
