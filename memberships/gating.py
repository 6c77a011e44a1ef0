"""Gating in Wagtail's serve path, in the spirit of Wagtail's own check_view_restrictions.

A page whose body needs a tier is marked private for caches whoever looks at it; a
viewer the policy refuses gets the teaser (title, summary, what the tier includes, its
price and an upgrade button) with status 403 — never the body.
"""

from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control

from . import policy

PRIVATE_FLAG = "lectern_private_response"


def mark_private(request) -> None:
    setattr(request, PRIVATE_FLAG, True)


def gate_page(page, request):
    """`before_serve_page` hook body: None lets Wagtail serve; a response replaces it."""
    if not policy.is_gated(page):
        return None
    mark_private(request)
    decision = policy.can_view(request.user, page)
    if decision:
        return None
    return render_teaser(request, page, decision)


def render_teaser(request, page, decision, status=403):
    context = {
        "page": page,
        "self": page,
        "decision": decision,
        "required_tier": decision.required_tier,
        "upgrade_tiers": decision.upgrade_tiers,
        "teaser_text": getattr(page, "summary", "") or page.search_description,
        "course_offer": course_offer(request.user, page, decision),
    }
    # A lesson locked by sequential unlock says which lesson to finish, not "upgrade".
    template = (
        "learning/locked.html" if decision.reason == policy.Reason.LOCKED else "memberships/teaser.html"
    )
    return TemplateResponse(request, template, context, status=status)


def course_offer(user, page, decision):
    """The course `page` belongs to, when it is sold on its own and buying it would open
    `page` for this viewer (a visitor, or a learner below the tier); else None."""
    if decision.reason not in (policy.Reason.LOGIN_REQUIRED, policy.Reason.TIER_TOO_LOW):
        return None
    course = getattr(page, "access_course", None)
    if course is None or not getattr(course, "is_for_sale", False) or policy.owns_course(user, course):
        return None
    return course


class PrivateResponseMiddleware:
    """Sends `Cache-Control: private, no-store` on anything that touched gated content,
    so no proxy or CDN keeps a copy of paid material."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, PRIVATE_FLAG, False):
            # patch_cache_control drops a conflicting "public" when given private=True.
            patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response
