"""Security headers Django does not send by itself: Content-Security-Policy (django-csp,
with a second policy for the Wagtail admin) and Permissions-Policy.

Public pages get `CONTENT_SECURITY_POLICY`: scripts only from our static files or an
inline `<script nonce="{{ request.csp_nonce }}">`. Wagtail's admin renders inline
scripts of its own (widget set-up, inline panels) that carry no nonce, so paths under
`CSP_ADMIN_PATH_PREFIXES` get `CONTENT_SECURITY_POLICY_ADMIN` instead, which allows them
there and nowhere else. A view can still narrow or widen its own policy with django-csp's
decorators (`csp_update`, `csp_replace`, `csp_exempt`); those win over both settings.
"""

from collections.abc import Mapping, Sequence

from django.conf import settings

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware choosing the admin policy by path, with a fresh nonce in
    every public policy (so an inline script without the response's nonce never runs,
    even on a page that has none of its own)."""

    def process_response(self, request, response):
        # Wagtail previews a page by running the whole middleware chain on a made-up
        # request for the page's public URL (`is_dummy`). That response is shown inside
        # the admin view that asked for it, whose own (admin) policy must be the one sent.
        if getattr(request, "is_dummy", False):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        if request.path_info.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES)):
            # No nonce here: a nonce in script-src would switch 'unsafe-inline' off.
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        elif parts.nonce is None:
            parts.nonce = self._make_nonce(request)
        return parts


def permissions_policy_header(features: Mapping[str, Sequence[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class PermissionsPolicyMiddleware:
    """Sends `PERMISSIONS_POLICY` as the Permissions-Policy header on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
