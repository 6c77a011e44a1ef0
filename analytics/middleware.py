"""Records a page view for every Wagtail page served, after the response is built.

The `before_serve_page` hook (analytics.wagtail_hooks) only remembers which page is
being served; this middleware turns it into events once the status is known, so a
gated page's teaser (403 from the membership gate) counts as a preview view and a
page that failed does not count at all. A new visitor who accepted the analytics cookie
(privacy.consent) gets a first-party random id cookie (no database row, no session),
hashed before it is stored; without that yes there is no cookie.
"""

import logging

from django.conf import settings

from privacy import consent

from . import recording

logger = logging.getLogger(__name__)

SERVED_PAGE_ATTR = "_lectern_served_page"


def remember_served_page(page, request) -> None:
    setattr(request, SERVED_PAGE_ATTR, page)


class PageViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page = getattr(request, SERVED_PAGE_ATTR, None)
        if page is None or request.method != "GET" or not recording.recording_enabled():
            return response
        if response.status_code not in (200, 403) or recording.is_bot(request):
            return response
        try:
            events = recording.page_events(request, page, teaser_shown=response.status_code == 403)
        except Exception:
            logger.warning("analytics: could not describe page view", exc_info=True)
            return response
        recording.save_events(events, savepoint=False)
        visitor_id, is_new = recording.visitor_id_of(request)
        if recording.VISITOR_COOKIE in request.COOKIES and not consent.analytics_allowed(request):
            # Consent refused or withdrawn: the cookie set earlier goes.
            response.delete_cookie(recording.VISITOR_COOKIE, samesite="Lax")
        elif is_new:
            response.set_cookie(
                recording.VISITOR_COOKIE,
                visitor_id,
                # The stored hash rotates daily anyway; a day-long cookie is all counting needs.
                max_age=getattr(settings, "ANALYTICS_VISITOR_COOKIE_AGE", 24 * 3600),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
