"""Rate limits: 100 requests a minute per signed-in user (per client address for
visitors) on every operation, and stricter scopes on the doors attackers knock on.

A view opts into a stricter scope with `throttle_scope = "login"` (and keeps the general
limit too). Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`, overridable from
the environment. Visitors are told apart by the one client-address rule
(`config.client_ip`), never by a header a client can set."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from config.client_ip import client_ip


class _ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        # DRF copies the rates onto the class at import; reading them per request lets a
        # settings change (tests, a reload) take effect.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()


class UserThrottle(_ClientAddressMixin, UserRateThrottle):
    """100/min per user; visitors are counted by the anonymous throttle instead."""

    def allow_request(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return True
        return super().allow_request(request, view)


class AnonThrottle(_ClientAddressMixin, AnonRateThrottle):
    pass


class ScopeThrottle(_ClientAddressMixin, ScopedRateThrottle):
    """Per scope, per user or (for visitors) per address: login, register, password
    reset and coupon checks."""
