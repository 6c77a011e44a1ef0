"""Account routes: sign-up, sign-in (with the second-factor step), refresh, logout, password
reset and change, the bot check, and the caller's profile.

Thin views over the site's own pieces: allauth's forms (with our bot check and password
validators) and flows send the same emails through `notifications.mail`; the lockout is
`accounts.lockout`; tokens are `accounts.api_tokens`. Everything is handed the real
`HttpRequest` (`request._request`), which is what axes, allauth and the audit trail read.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _

from allauth.account import app_settings as account_settings
from allauth.account import signals as account_signals
from allauth.account.adapter import get_adapter
from allauth.account.forms import ChangePasswordForm, ResetPasswordForm, ResetPasswordKeyForm, UserTokenForm
from allauth.account.internal.flows.email_verification import (
    get_address_for_user,
    send_verification_email_to_address,
)
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from allauth.utils import get_form_class
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import CSRFCheck
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import api_tokens
from accounts.allauth_forms import SignupForm
from accounts.api_tokens import FAMILY_CLAIM, TokenRefused
from accounts.lockout import api_lockout_response, authenticate_counted
from accounts.models import RevokeReason
from api.errors import ApiError
from api.schema import error_responses
from challenges.checks import AltchaCheck, TurnstileCheck, current_check

from . import serializers as s
from .signin import check_may_sign_in, complete_sign_in, user_from_ticket, verify_second_factor

ACCEPTED = OpenApiResponse(s.DetailSerializer, description=_("Accepted; the email is on its way."))
TOKENS = OpenApiResponse(s.TokenPairSerializer, description=_("Signed in: a new token pair."))


def _form_errors(form, renames: dict[str, str]) -> serializers.ValidationError:
    """A Django form's errors as the API's validation error, under the API's field names."""
    fields = {}
    for name, errors in form.errors.as_data().items():
        key = renames.get(name) or ("non_field_errors" if name == "__all__" else name)
        fields.setdefault(key, []).extend(
            serializers.ErrorDetail(message, code=error.code or "invalid")
            for error in errors
            for message in error.messages
        )
    return serializers.ValidationError(fields)


def _tokens_response(request, pair: api_tokens.TokenPair, *, cookie: bool) -> Response:
    body = {
        "token_type": "Bearer",
        "access": pair.access,
        "access_expires": pair.access_expires,
        "refresh": None if cookie else pair.refresh,
        "refresh_expires": pair.refresh_expires,
    }
    if cookie:
        body["csrf_token"] = get_token(request._request)
    response = Response(s.TokenPairSerializer(body).data)
    if cookie:
        response.set_cookie(
            settings.API_REFRESH_COOKIE_NAME,
            pair.refresh,
            max_age=int(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds()),
            path=settings.API_REFRESH_COOKIE_PATH,
            secure=not settings.DEBUG,
            httponly=True,
            samesite="Strict",
        )
    return response


def _enforce_csrf(request) -> None:
    """Django's CSRF check (cookie + `X-CSRFToken`, and Origin/Referer on https), as DRF's
    session authentication does it: a cookie the browser sends by itself is not proof."""
    check = CSRFCheck(lambda _request: None)
    check.process_request(request._request)
    reason = check.process_view(request._request, None, (), {})
    if reason:
        raise exceptions.PermissionDenied(
            _("CSRF check failed: %(reason)s") % {"reason": reason}, code="csrf_failed"
        )


class _Public(APIView):
    """No token needed (and none looked at)."""

    authentication_classes = []
    permission_classes = [AllowAny]


class BotCheckView(_Public):
    @extend_schema(
        operation_id="auth_bot_check",
        responses={200: s.BotCheckSerializer},
        summary=_("The bot check to solve before register or password reset"),
    )
    def get(self, request):
        check = current_check()
        body = {"provider": "altcha", "challenge": None, "site_key": None}
        if isinstance(check, AltchaCheck):
            body["challenge"] = check.issue()
        elif isinstance(check, TurnstileCheck):
            body.update(provider="turnstile", site_key=check.site_key)
        response = Response(s.BotCheckSerializer(body).data)
        response["Cache-Control"] = "no-store"
        return response


class RegisterView(_Public):
    """Sign-up with the site's form: same fields, password rules and bot check. The answer
    is the same whether or not the address already has an account (that owner is
    emailed instead), so the route cannot be used to find out who is registered."""

    throttle_scope = "register"

    @extend_schema(
        operation_id="auth_register",
        request=s.RegisterSerializer,
        responses={202: ACCEPTED},
        summary=_("Create an account; a confirmation link is emailed"),
    )
    def post(self, request):
        data = s.RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        http = request._request
        form = get_form_class(account_settings.FORMS, "signup", SignupForm)(
            data={
                "email": values["email"],
                "full_name": values["full_name"],
                "password1": values["password"],
                "password2": values["password"],
                "bot_check": values["bot_check"],
            }
        )
        if not form.is_valid():
            raise _form_errors(form, {"password1": "password", "password2": "password"})
        if form.account_already_exists:
            address = EmailAddress(email=form.cleaned_data["email"])
        else:
            user = form.save(http)
            account_signals.user_signed_up.send(sender=user.__class__, request=http, user=user)
            address = get_address_for_user(user)
        send_verification_email_to_address(http, address, signup=True)
        message = _("Check your inbox: follow the link we sent to confirm your address, then sign in.")
        return Response({"detail": str(message)}, status=status.HTTP_202_ACCEPTED)


class LoginView(_Public):
    """Email and password. Failures count toward the site's lockout; a locked pair answers
    429 `account_locked`. An account with two-factor authentication answers 403
    `mfa_required` with `details.ticket` for `POST /api/v1/auth/login/mfa/`."""

    throttle_scope = "login"

    @extend_schema(
        operation_id="auth_login",
        request=s.LoginSerializer,
        responses={200: TOKENS, **error_responses(401, 403)},
        summary=_("Sign in with email and password"),
        description=_(
            "401 `invalid_credentials`; 403 `email_not_verified` (the link is sent again), "
            "`mfa_required` (`details.ticket`, `details.expires_in`) or `mfa_enrolment_required` "
            "(staff: set up two-factor authentication on the site first, `details.setup_url`); "
            "429 `account_locked` (`details.scope`: pair, address or account; `details.until`) "
            "or `throttled`."
        ),
    )
    def post(self, request):
        data = s.LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        http = request._request
        user, lock = authenticate_counted(http, email=values["email"], password=values["password"])
        if lock is not None:
            # The same answer axes' middleware gives through lockout_response.
            return api_lockout_response(lock)
        if user is None:
            raise ApiError(401, "invalid_credentials", _("The email address or password is not right."))
        check_may_sign_in(http, user)
        return _tokens_response(request, complete_sign_in(http, user), cookie=values["cookie"])


class SecondFactorView(_Public):
    throttle_scope = "login"

    @extend_schema(
        operation_id="auth_login_mfa",
        request=s.SecondFactorSerializer,
        responses={200: TOKENS, **error_responses(401)},
        summary=_("Finish signing in with a two-factor code"),
        description=_(
            "401 `mfa_ticket_invalid` (expired: sign in again); 422 for a wrong code; 429 "
            "`mfa_rate_limited` after `MFA_CODE_RATE` wrong codes (5 in 5 minutes), as on the site."
        ),
    )
    def post(self, request):
        data = s.SecondFactorSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        http = request._request
        user = user_from_ticket(values["ticket"])
        verify_second_factor(http, user, values["code"])
        return _tokens_response(request, complete_sign_in(http, user), cookie=values["cookie"])


class RefreshView(_Public):
    @extend_schema(
        operation_id="auth_refresh",
        request=s.RefreshSerializer,
        responses={200: TOKENS, **error_responses(401, 403, 409)},
        summary=_("Trade the refresh token for a new pair"),
        description=_(
            "Each refresh token works once. 401 `token_not_valid`, `token_revoked`, or "
            "`refresh_token_reused`: a token that was already used came back, so that sign-in "
            "ended everywhere (RFC 9700 §4.14). 409 `refresh_token_just_used`: another request "
            "used it a moment ago; keep the tokens that request got. 403 `csrf_failed` in "
            "cookie mode without a matching `X-CSRFToken`."
        ),
    )
    def post(self, request):
        data = s.RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        raw = data.validated_data.get("refresh")
        from_cookie = not raw
        if from_cookie:
            raw = request.COOKIES.get(settings.API_REFRESH_COOKIE_NAME)
            if not raw:
                raise ApiError(401, "token_not_valid", _("Send the refresh token, or use cookie mode."))
            _enforce_csrf(request)
        try:
            pair = api_tokens.rotate(raw)
        except TokenRefused as refusal:
            raise ApiError(refusal.status, refusal.code, refusal.message) from refusal
        return _tokens_response(request, pair, cookie=from_cookie)


class LogoutView(APIView):
    @extend_schema(
        operation_id="auth_logout",
        request=s.LogoutSerializer,
        responses={204: None},
        summary=_("End this sign-in (or all of them)"),
        description=_("Its refresh and access tokens stop working at once; the refresh cookie is cleared."),
    )
    def post(self, request):
        data = s.LogoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["everywhere"]:
            api_tokens.revoke_all(request.user, RevokeReason.LOGOUT)
        elif family_id := request.auth.get(FAMILY_CLAIM):
            api_tokens.revoke_family(family_id, RevokeReason.LOGOUT)
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response.delete_cookie(
            settings.API_REFRESH_COOKIE_NAME, path=settings.API_REFRESH_COOKIE_PATH, samesite="Strict"
        )
        return response


class PasswordResetRequestView(_Public):
    throttle_scope = "password_reset"

    @extend_schema(
        operation_id="auth_password_reset",
        request=s.PasswordResetRequestSerializer,
        responses={202: ACCEPTED},
        summary=_("Email a password reset link"),
        description=_(
            "The same email as the site's form; the answer is the same whether or not the "
            "address has an account. 429 also when the site's reset limits are reached."
        ),
    )
    def post(self, request):
        data = s.PasswordResetRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        http = request._request
        form = get_form_class(account_settings.FORMS, "reset_password", ResetPasswordForm)(
            data=data.validated_data
        )
        if not form.is_valid():
            raise _form_errors(form, {})
        # The site's own limits on reset emails (per address and per account).
        if ratelimit.consume_or_429(http, action="reset_password", key=form.cleaned_data["email"].lower()):
            raise exceptions.Throttled(detail=_("Too many password reset requests. Try again later."))
        form.save(http)
        message = _("If an account uses this address, a link to choose a new password is on its way.")
        return Response({"detail": str(message)}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(_Public):
    throttle_scope = "password_reset"

    @extend_schema(
        operation_id="auth_password_reset_confirm",
        request=s.PasswordResetConfirmSerializer,
        responses={204: None},
        summary=_("Choose a new password with the key from the reset email"),
        description=_("Every API sign-in of the account ends; sign in with the new password."),
    )
    def post(self, request):
        data = s.PasswordResetConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        http = request._request
        uidb36, _dash, key = data.validated_data["key"].partition("-")
        token_form = UserTokenForm(data={"uidb36": uidb36, "key": key})
        if not token_form.is_valid():
            raise _form_errors(token_form, {"__all__": "key", "uidb36": "key"})
        user = token_form.reset_user
        form = get_form_class(account_settings.FORMS, "reset_password_from_key", ResetPasswordKeyForm)(
            user=user,
            temp_key=key,
            data={"password1": data.validated_data["password"], "password2": data.validated_data["password"]},
        )
        if not form.is_valid():
            raise _form_errors(form, {"password1": "password", "password2": "password"})
        form.save()  # set_password + save: the account's API sign-ins end (accounts.models)
        # What allauth's reset view does next, less its session and page messages.
        account_signals.password_reset.send(sender=user.__class__, request=http, user=user)
        get_adapter(http).send_notification_mail("account/email/password_reset", user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    @extend_schema(
        operation_id="auth_password_change",
        request=s.PasswordChangeSerializer,
        responses={200: TOKENS},
        summary=_("Change the password"),
        description=_(
            "Every API sign-in of the account ends, this one included; the answer is a new "
            "token pair for this client. The account is emailed, as on the site."
        ),
    )
    def post(self, request):
        data = s.PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        http, user = request._request, request.user
        form = get_form_class(account_settings.FORMS, "change_password", ChangePasswordForm)(
            user=user,
            data={
                "oldpassword": values["current_password"],
                "password1": values["new_password"],
                "password2": values["new_password"],
            },
        )
        if not form.is_valid():
            raise _form_errors(
                form,
                {"oldpassword": "current_password", "password1": "new_password", "password2": "new_password"},
            )
        form.save()  # set_password + save: every API sign-in of the account ends (accounts.models)
        # What allauth's change view does next, less its session and page messages.
        get_adapter(http).send_notification_mail("account/email/password_changed", user)
        account_signals.password_changed.send(sender=user.__class__, request=http, user=user)
        return _tokens_response(request, api_tokens.start_family(user), cookie=values["cookie"])


class ProfileView(generics.RetrieveUpdateAPIView):
    """The caller's own account. Only the name can be changed here; the email address is
    changed on the site, where the new one is confirmed first."""

    serializer_class = s.ProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    @extend_schema(operation_id="me_retrieve", summary=_("My profile"))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(operation_id="me_update", summary=_("Edit my profile"))
    def patch(self, request, *args, **kwargs):
        return super().patch(request, *args, **kwargs)
