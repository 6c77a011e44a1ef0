"""Public verification of a certificate number: the lookup and its rate limit, shared by
the verification page and the API so both answer the same facts under one budget."""

from django.conf import settings

from django_ratelimit.core import _split_rate, is_ratelimited

from .issuing import normalize_number
from .models import Certificate

RATE_GROUP = "certificates:verify"


def over_limit(request) -> bool:
    """Count this lookup against the client's budget; True once it is spent. Each lookup
    counts, so numbers cannot be enumerated cheaply. `request` is Django's HttpRequest."""
    return is_ratelimited(
        request,
        group=RATE_GROUP,
        key="ip",  # config.client_ip: X-Forwarded-For only from TRUSTED_PROXIES
        rate=settings.CERTIFICATE_VERIFY_RATE,
        increment=True,
    )


def window_seconds() -> int:
    """The rate's window: how long a client that spent its budget waits at most."""
    return _split_rate(settings.CERTIFICATE_VERIFY_RATE)[1]


def find(number: str) -> Certificate | None:
    """The certificate a number names, however it was typed (case, spaces), or None."""
    canonical = normalize_number(number)
    return Certificate.objects.filter(number=canonical).first() if canonical else None
