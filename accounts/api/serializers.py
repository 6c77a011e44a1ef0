"""What the account routes read and answer. The rules (password validators, the bot
check, who may sign in) are allauth's forms and our services; these only name fields."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from allauth.account.models import EmailAddress
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.staff_mfa import has_second_factor

BOT_CHECK_HELP = _(
    "The bot check the site's sign-up form has. Ask `GET /api/v1/auth/bot-check/` which one "
    "is on: for `altcha`, solve its `challenge` (ALTCHA v2, the `altcha` libraries or widget) "
    "and send the base64 payload; for `turnstile`, send the token Cloudflare's widget gives "
    "for `site_key`. Each solution works once."
)
COOKIE_HELP = _(
    "Browsers: keep the refresh token in an httpOnly, SameSite=Strict cookie scoped to "
    "`/api/v1/auth/` instead of the body (`refresh` is then null). Refreshing from the "
    "cookie needs the CSRF token: send the `csrftoken` cookie's value (also returned as "
    "`csrf_token`) in an `X-CSRFToken` header."
)


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=150)
    password = serializers.CharField(
        write_only=True,
        style={"input_type": "password"},
        help_text=_("Checked by the site's password rules."),
    )
    bot_check = serializers.CharField(write_only=True, help_text=BOT_CHECK_HELP)


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    cookie = serializers.BooleanField(default=False, help_text=COOKIE_HELP)


class SecondFactorSerializer(serializers.Serializer):
    ticket = serializers.CharField(help_text=_("`details.ticket` from the `mfa_required` answer of login."))
    code = serializers.CharField(
        max_length=64, help_text=_("A code from the authenticator app, or an unused recovery code.")
    )
    cookie = serializers.BooleanField(default=False, help_text=COOKIE_HELP)


class TokenPairSerializer(serializers.Serializer):
    token_type = serializers.CharField(default="Bearer")
    access = serializers.CharField(help_text=_("Send as `Authorization: Bearer <access>`."))
    access_expires = serializers.DateTimeField()
    refresh = serializers.CharField(
        allow_null=True,
        help_text=_("Good for one use: each refresh returns the next. Null in cookie mode."),
    )
    refresh_expires = serializers.DateTimeField()
    csrf_token = serializers.CharField(
        required=False, help_text=_("Cookie mode only: send it as `X-CSRFToken` when refreshing.")
    )


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(
        required=False,
        help_text=_("The latest refresh token. Leave out in cookie mode (then `X-CSRFToken` is required)."),
    )


class LogoutSerializer(serializers.Serializer):
    everywhere = serializers.BooleanField(
        default=False, help_text=_("End every API sign-in of the account, not only this one.")
    )


class PasswordResetRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    bot_check = serializers.CharField(write_only=True, help_text=BOT_CHECK_HELP)


class PasswordResetConfirmSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=_(
            "The last part of the link in the reset email: for "
            "`…/accounts/password/reset/key/1-abc123-xyz/` it is `1-abc123-xyz`."
        )
    )
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(write_only=True, style={"input_type": "password"})
    new_password = serializers.CharField(write_only=True, style={"input_type": "password"})
    cookie = serializers.BooleanField(default=False, help_text=COOKIE_HELP)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class BotCheckSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=["altcha", "turnstile"])
    challenge = serializers.DictField(
        allow_null=True, help_text=_("ALTCHA: the signed challenge to solve (valid 20 minutes, once).")
    )
    site_key = serializers.CharField(allow_null=True, help_text=_("Turnstile: the widget's site key."))


class ProfileSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    date_joined = serializers.DateTimeField(read_only=True)
    email_verified = serializers.SerializerMethodField()
    mfa_enabled = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["email", "full_name", "display_name", "date_joined", "email_verified", "mfa_enabled"]
        read_only_fields = ["email", "date_joined"]

    @extend_schema_field(serializers.BooleanField())
    def get_email_verified(self, user) -> bool:
        return EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email, verified=True).exists()

    @extend_schema_field(serializers.BooleanField(help_text=_("Set up on the site's account pages.")))
    def get_mfa_enabled(self, user) -> bool:
        return has_second_factor(user)

    def validate_full_name(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError(_("Enter your name."), code="blank")
        return value
