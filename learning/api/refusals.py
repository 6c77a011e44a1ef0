"""Service refusals worded as API errors: the services decide, this only translates.

The error `code` is the policy's own reason (`tier_too_low`, `locked`, `not_in_tier` …)
or the service's (`subscription_lapsed`, `device_limit`, `not_streaming` …), so an app
branches on the same codes the site's player and pages use."""

from django.utils.translation import gettext as _

from rest_framework import status

from api.errors import ApiError
from media_pipeline.playback import Refusal
from memberships import policy


def _tier(tier) -> dict | None:
    return {"slug": tier.slug, "name": tier.name} if tier is not None else None


def _message(decision: policy.Decision) -> str:
    if decision.reason == policy.Reason.LOCKED and decision.finish_first is not None:
        return _("This lesson opens once you finish “%(title)s”.") % {"title": decision.finish_first.title}
    if decision.reason == policy.Reason.LOCKED:
        return _("This lesson opens once you finish the lessons before it.")
    if decision.reason == policy.Reason.NOT_IN_TIER:
        return _("Your plan does not include this.")
    names = " or ".join(t.name for t in decision.upgrade_tiers if not t.is_free)
    return _("This is for %(tiers)s members.") % {"tiers": names} if names else _("This is not open to you.")


def policy_refusal(decision: policy.Decision) -> ApiError:
    """403 with the policy's reason, the tiers that would open the content and, for a
    locked lesson, the lesson to finish first."""
    details = {
        "required_tier": _tier(decision.required_tier),
        "upgrade_tiers": [_tier(t) for t in decision.upgrade_tiers if not t.is_free],
    }
    if decision.finish_first is not None:
        details["finish_first"] = {"id": decision.finish_first.pk, "title": decision.finish_first.title}
    return ApiError(status.HTTP_403_FORBIDDEN, str(decision.reason), _message(decision), details)


# A player's refusals that are about the request's content rather than its state.
_UNPROCESSABLE = {400: status.HTTP_422_UNPROCESSABLE_ENTITY}


def playback_refusal(refusal: Refusal) -> ApiError:
    """The playback service's refusal (policy, device limit, readiness) as the envelope."""
    details = dict(refusal.extra)
    return ApiError(
        _UNPROCESSABLE.get(refusal.status, refusal.status), refusal.code, refusal.message, details
    )
