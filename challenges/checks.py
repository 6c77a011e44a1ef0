"""The bot check on sign-up and password reset: one interface, two providers.

By default a self-hosted ALTCHA proof of work: the browser fetches a signed challenge
from us, spends a second of CPU finding a key, and the form posts the solution. No third
party is called. When both Turnstile keys are set, Cloudflare Turnstile is used instead
and its token is checked with Cloudflare's siteverify.

Forms never talk to a provider: they use `BotCheckField` (challenges/fields.py), which
asks `current_check()` for the widget and for `verify(response)`.
"""

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import salted_hmac

import altcha
import requests

logger = logging.getLogger(__name__)

ALTCHA_ALGORITHM = "PBKDF2/SHA-256"
# One zero byte: about 256 tries on average, each `ALTCHA_COST` PBKDF2 rounds.
ALTCHA_KEY_PREFIX = "00"


class BotCheck(Protocol):
    template_name: str

    def widget_context(self) -> dict: ...

    def verify(self, response: str) -> bool: ...


def _altcha_key() -> str:
    """The HMAC key that signs challenges: ALTCHA_HMAC_KEY, or one derived from SECRET_KEY."""
    return settings.ALTCHA_HMAC_KEY or salted_hmac("lectern.challenges.altcha", "hmac-key").hexdigest()


def _used_key(signature: str) -> str:
    return f"challenges:altcha:used:{signature}"


class AltchaCheck:
    """Self-hosted proof of work (ALTCHA v2 protocol: the python `altcha` 2.x library and
    the `altcha` 3.x widget served from our static files)."""

    template_name = "challenges/altcha_widget.html"

    def issue(self) -> dict:
        """A new signed challenge for the widget, valid for ALTCHA_EXPIRY_SECONDS."""
        challenge = altcha.create_challenge(
            ALTCHA_ALGORITHM,
            settings.ALTCHA_COST,
            key_prefix=ALTCHA_KEY_PREFIX,
            expires_at=int(time.time()) + settings.ALTCHA_EXPIRY_SECONDS,
            hmac_secret=_altcha_key(),
        )
        return challenge.to_dict()

    def widget_context(self) -> dict:
        return {"challenge_url": reverse("challenges:altcha_challenge")}

    def verify(self, response: str) -> bool:
        """Signature, expiry and solution checked by the library; then the challenge is
        spent, so the same solved payload cannot be posted twice."""
        try:
            payload = altcha.Payload.from_base64(response)
        except (ValueError, KeyError, TypeError, AttributeError):
            return False
        result = altcha.verify_solution(payload, _altcha_key())
        if not result.verified:
            return False
        remaining = int(payload.challenge.parameters.expires_at or 0) - int(time.time())
        # cache.add is atomic (SET NX on Redis): of two posts racing with one payload,
        # exactly one wins.
        return cache.add(_used_key(payload.challenge.signature), True, timeout=max(remaining, 1) + 60)


class TurnstileClient:
    """Cloudflare Turnstile's siteverify, the one place that calls it."""

    def __init__(self, secret_key: str, verify_url: str, timeout: float = 5.0):
        self.secret_key = secret_key
        self.verify_url = verify_url
        self.timeout = timeout

    def verify(self, token: str) -> bool:
        try:
            answer = requests.post(
                self.verify_url,
                data={"secret": self.secret_key, "response": token},
                timeout=self.timeout,
            )
            answer.raise_for_status()
            outcome = answer.json()
        except (requests.RequestException, ValueError) as error:
            # Refuse rather than wave a bot through; the visitor can try again.
            logger.warning("Turnstile siteverify failed: %s", error)
            return False
        if not outcome.get("success"):
            logger.info("Turnstile refused a token: %s", outcome.get("error-codes"))
            return False
        return True


@dataclass
class TurnstileCheck:
    site_key: str
    client: TurnstileClient
    template_name: str = "challenges/turnstile_widget.html"

    def widget_context(self) -> dict:
        return {"site_key": self.site_key}

    def verify(self, response: str) -> bool:
        return self.client.verify(response)


def current_check() -> BotCheck:
    """Turnstile when both of its keys are set, else the self-hosted ALTCHA check."""
    if settings.TURNSTILE_SITE_KEY and settings.TURNSTILE_SECRET_KEY:
        return TurnstileCheck(
            site_key=settings.TURNSTILE_SITE_KEY,
            client=TurnstileClient(settings.TURNSTILE_SECRET_KEY, settings.TURNSTILE_VERIFY_URL),
        )
    return AltchaCheck()
