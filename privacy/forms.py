"""The "Delete my account" confirmation: the password, and the second factor when the
account has one (always, for staff: the admin requires it)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django_ratelimit.core import is_ratelimited


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app (or a recovery code)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, request, **kwargs):
        self.user, self.request = user, request
        super().__init__(*args, **kwargs)
        self.needs_code = is_mfa_enabled(user)
        if not self.needs_code:
            del self.fields["code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password

    def clean_code(self):
        code = self.cleaned_data.get("code", "").strip()
        if not code:
            raise forms.ValidationError(_("Enter a code from your authenticator app."), code="required")
        # The same limit on guesses as at sign-in (accounts/mfa_forms.py).
        if is_ratelimited(
            self.request,
            group="accounts.mfa_code",
            key=lambda group, request: str(self.user.pk),
            rate=settings.MFA_CODE_RATE,
            increment=True,
        ):
            raise forms.ValidationError(_("Too many codes tried. Wait a few minutes, then try again."))
        authenticators = Authenticator.objects.filter(user=self.user).exclude(
            type=Authenticator.Type.WEBAUTHN
        )
        if not any(authenticator.wrap().validate_code(code) for authenticator in authenticators):
            raise forms.ValidationError(_("That code is not right."), code="wrong_code")
        return code
