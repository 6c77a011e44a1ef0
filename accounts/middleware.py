"""Every admin door goes through the staff second factor (`accounts.staff_mfa`).

Covers everything under the Wagtail admin and the Django admin, whatever view answers
there, so a new admin URL is guarded the day it appears:

- their own login forms hand off to allauth's login, which has the MFA stage (a POST
  to them logs nobody in);
- Wagtail's password reset hands off to allauth's, whose login-after-reset (when
  enabled) runs the same stages;
- an account that can open the admin and has no authenticator is sent to set one up,
  then back to where it was going;
- a session that has not used its second factor (Django admin login, a login link,
  one made before this rule, a password reset login) is logged out and asked to sign
  in with the code.

Only logging out passes untouched. `STAFF_MFA_REQUIRED` is on in every real
environment; the test settings switch it off so the rest of the suite can log staff in
with `force_login`, and this rule's own tests switch it back on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import staff_mfa

_LOGIN_VIEWS = {"wagtailadmin_login", "admin:login"}
_LOGOUT_VIEWS = {"wagtailadmin_logout", "admin:logout"}
_PASSWORD_RESET_PREFIX = "wagtailadmin_password_reset"  # noqa: S105 - a URL name


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._prefixes: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "STAFF_MFA_REQUIRED", True) and request.path_info.startswith(
            self._admin_prefixes()
        ):
            response = self._guard(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _admin_prefixes(self) -> tuple[str, ...]:
        if self._prefixes is None:
            prefixes = []
            for name in ("wagtailadmin_home", "admin:index"):
                try:
                    prefixes.append(reverse(name))
                except NoReverseMatch:  # that admin is not routed
                    pass
            self._prefixes = tuple(prefixes)
        return self._prefixes

    def _guard(self, request: HttpRequest) -> HttpResponse | None:
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = ""
        if view_name in _LOGOUT_VIEWS:
            return None
        if view_name in _LOGIN_VIEWS:
            home = reverse("admin:index" if view_name == "admin:login" else "wagtailadmin_home")
            return redirect_to_login(_safe_next(request) or home, "account_login")
        if view_name.startswith(_PASSWORD_RESET_PREFIX):
            return redirect("account_reset_password")

        user = request.user
        if not staff_mfa.requires_mfa(user):
            return None  # visitors and learners: the admin's own checks refuse them
        if not staff_mfa.has_second_factor(user):
            if request.method == "GET":
                staff_mfa.remember_destination(request, request.get_full_path())
            messages.info(
                request,
                _(
                    "Your account can open the admin, so it needs two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        if not staff_mfa.session_passed_mfa(request):
            destination = request.get_full_path() if request.method == "GET" else reverse("wagtailadmin_home")
            logout(request)
            messages.info(request, _("Sign in again with your authenticator code to open the admin."))
            return redirect_to_login(destination, "account_login")
        return None


def _safe_next(request: HttpRequest) -> str | None:
    url = request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return None
