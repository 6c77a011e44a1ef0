"""Fixtures for payments: coupons, orders, signed Stripe events and a fake Stripe API.

Stripe itself is never faked above the HTTP edge: webhooks are signed the way Stripe
signs them and checked by the real `stripe.Webhook.construct_event`, and checkout
sessions are created by the real library talking to a tiny server on loopback.
"""

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from memberships.payments import orders

STRIPE_EVENTS = Path(__file__).parent / "stripe_events"
WEBHOOK_SECRET = "whsec_test_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c1e"
# The order reference every recorded payload in stripe_events/ carries.
RECORDED_ORDER_REFERENCE = "LCT-ORD-7K4QW9ZD"


def recorded(name: str) -> str:
    """A recorded payload exactly as stored (the body Stripe would POST)."""
    return (STRIPE_EVENTS / name).read_text()


def stripe_signature(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header, computed as Stripe documents it:
    t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the endpoint secret>."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_lectern_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return settings


@pytest.fixture
def post_webhook(client, stripe_keys):
    """POST a payload to the webhook endpoint, signed unless a header is given."""

    def post(payload: str, signature: str | None = "sign"):
        headers = {}
        if signature == "sign":
            signature = stripe_signature(payload)
        if signature is not None:
            headers["HTTP_STRIPE_SIGNATURE"] = signature
        return client.post(
            "/membership/stripe/webhook/", data=payload, content_type="application/json", **headers
        )

    return post


@pytest.fixture
def stripe_order(learner, tiers):
    """A pending card order for Silver, with the reference the recorded payloads carry."""
    order = orders.place_order(learner, tiers["silver"], "stripe")
    order.reference = RECORDED_ORDER_REFERENCE
    order.save(update_fields=["reference"])
    return order


class _FakeStripeHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        server = self.server
        server.requests.append(
            {"path": self.path, "headers": dict(self.headers), "params": dict(parse_qsl(body))}
        )
        if self.path == "/v1/checkout/sessions":
            status, answer = server.answer
        elif self.path.startswith("/v1/checkout/sessions/") and self.path.endswith("/expire"):
            status, answer = server.expire_answer
        else:
            status, answer = 404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Request-Id", "req_fake_lectern")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_stripe(stripe_keys):
    """Stripe's API on 127.0.0.1:<random port>, answering session creation (and expiry) with
    recorded sessions. `.requests` lists what the library sent; set `.answer` or
    `.expire_answer` to (status, body) to answer differently."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeStripeHandler)
    server.requests = []
    server.answer = (200, json.loads(recorded("checkout_session.created.json")))
    server.expire_answer = (200, json.loads(recorded("checkout.session.expired.json"))["data"]["object"])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stripe_keys.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
