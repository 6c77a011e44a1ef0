"""A policy refusal as an API answer, so every app's API says "no" the same way.

The error code is the policy's own reason (`tier_too_low`, `not_in_tier`, `locked`);
the details name the tier the content asks for, the caller's tier and the tiers that
would open it, which is what a client needs to show its own teaser.
"""

from django.utils.translation import gettext_lazy as _

from rest_framework import exceptions, status

from api.errors import ApiError

from ..policy import Decision, Reason

MESSAGES = {
    Reason.TIER_TOO_LOW: _("Your plan does not include this. Upgrade to open it."),
    Reason.NOT_IN_TIER: _("Your plan does not include this. Upgrade to open it."),
    Reason.LOCKED: _("Finish the earlier lessons first."),
}


def refusal(decision: Decision) -> exceptions.APIException:
    """The exception to raise for a Decision that said no."""
    if decision.reason == Reason.LOGIN_REQUIRED:
        return exceptions.NotAuthenticated()
    details = {
        "required_tier": decision.required_tier.slug if decision.required_tier else None,
        "your_tier": decision.user_tier.slug if decision.user_tier else None,
        "upgrade_tiers": [tier.slug for tier in decision.upgrade_tiers],
    }
    message = MESSAGES.get(decision.reason, _("You may not open this."))
    return ApiError(status.HTTP_403_FORBIDDEN, str(decision.reason), str(message), details)
