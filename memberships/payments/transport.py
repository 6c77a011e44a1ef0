"""The one way payment clients talk JSON to a provider's API.

VNPay and MoMo have no Python library of their own; their APIs are plain JSON over
HTTPS, so the standard library's client is enough, and one function keeps the timeout,
the headers and the error type the same for both.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings


class GatewayError(Exception):
    """The provider did not answer, or answered with something that is not JSON."""


def post_json(url: str, body: dict) -> dict:
    if not url.startswith(("https://", "http://")):
        raise GatewayError(f"{url} is not an http(s) address")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json; charset=UTF-8", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.PAYMENT_API_TIMEOUT) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as error:
        raw = error.read()
        if not raw:
            raise GatewayError(f"{url} answered HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise GatewayError(f"{url} did not answer: {error}") from error
    try:
        answer = json.loads(raw)
    except ValueError as error:
        raise GatewayError(f"{url} answered something that is not JSON") from error
    if not isinstance(answer, dict):
        raise GatewayError(f"{url} answered JSON that is not an object")
    return answer
