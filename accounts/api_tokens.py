"""API sign-in tokens: access tokens (15 minutes) and refresh tokens (7 days) in families.

simplejwt signs and checks the tokens; this module decides which ones still count:

- **A family per sign-in.** `start_family` begins an `ApiTokenFamily` and hands out its
  first pair. Both tokens carry the family id (claim `fid`).
- **Rotation on every use.** `rotate` takes the family's row lock, checks that the token
  presented is the family's current one, and replaces it. Of two requests racing with one
  token, the second waits for the lock and then finds the token already rotated.
- **Reuse kills the family** (RFC 9700 §4.14). A rotated token presented again means a
  copy exists somewhere else; the family is revoked, the newest token included, and
  access tokens of that family are refused from then on. One exception keeps honest
  clients signed in: the token rotated a moment ago (`API_REFRESH_RACE_SECONDS`) by a
  request that ran at the same time is refused (`refresh_token_just_used`) without
  killing the family, since it is the same client racing itself, not a copy elsewhere.
- **Revocation.** Logout revokes the family; a password change, deactivation or
  deletion revokes every family of the account (`accounts.models.User.save`).

Access tokens are checked by `api.authentication.AccessTokenAuthentication` with
`live_family`: one query for the family and its user, no cache to fall out of step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password

from .models import ApiTokenFamily, RevokeReason

FAMILY_CLAIM = "fid"


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    access_expires: datetime
    refresh_expires: datetime
    family_id: str


class TokenRefused(Exception):
    """A refresh token that gives nothing: `code` says why, `message` is for people."""

    def __init__(self, code: str, message: str, *, status: int = 401):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class _FamilyRefreshToken(RefreshToken):
    """simplejwt's refresh token whose use the family decides, under its row lock,
    instead of a blacklist lookup made before the lock."""

    def check_blacklist(self) -> None:
        return None


def start_family(user) -> TokenPair:
    """A new sign-in: a new family and its first token pair."""
    with transaction.atomic():
        family = ApiTokenFamily.objects.create(user=user)
        refresh = _issue_refresh(user, family)
        family.current_jti = refresh[api_settings.JTI_CLAIM]
        family.save(update_fields=["current_jti"])
    return _pair(refresh, family)


def rotate(raw_refresh: str) -> TokenPair:
    """The next pair for a refresh token, or `TokenRefused`."""
    try:
        token = _FamilyRefreshToken(raw_refresh)
    except TokenError as error:
        raise TokenRefused("token_not_valid", _("The refresh token is expired or not valid.")) from error
    family_id = token.get(FAMILY_CLAIM)
    if not family_id:
        raise TokenRefused("token_not_valid", _("The refresh token is expired or not valid."))
    jti = token[api_settings.JTI_CLAIM]

    with transaction.atomic():
        family = (
            ApiTokenFamily.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=family_id, user_id=token.get(api_settings.USER_ID_CLAIM))
            .first()
        )
        refusal = _refusal(family, token, jti)
        if refusal is None:
            refresh = _issue_refresh(family.user, family)
            _blacklist_jti(jti)
            family.previous_jti, family.current_jti = jti, refresh[api_settings.JTI_CLAIM]
            family.rotated_at = timezone.now()
            family.save(update_fields=["previous_jti", "current_jti", "rotated_at"])
    # Raised outside the transaction, so a revocation decided above is kept.
    if refusal is not None:
        raise refusal
    return _pair(refresh, family)


def _refusal(family: ApiTokenFamily | None, token, jti: str) -> TokenRefused | None:
    if family is None:
        return TokenRefused("token_not_valid", _("The refresh token is expired or not valid."))
    if family.revoked_at is not None:
        return TokenRefused("token_revoked", _("This sign-in has ended. Sign in again."))
    user = family.user
    if not user.is_active or token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(
        user.password
    ):
        ApiTokenFamily.objects.filter(pk=family.pk).revoke(RevokeReason.INVALID)
        return TokenRefused("token_revoked", _("This sign-in has ended. Sign in again."))
    if jti == family.current_jti:
        return None
    race = timedelta(seconds=settings.API_REFRESH_RACE_SECONDS)
    if jti == family.previous_jti and family.rotated_at and timezone.now() - family.rotated_at < race:
        return TokenRefused(
            "refresh_token_just_used",
            _("This refresh token was just used by another request; use the tokens it received."),
            status=409,
        )
    ApiTokenFamily.objects.filter(pk=family.pk).revoke(RevokeReason.REUSE)
    return TokenRefused(
        "refresh_token_reused",
        _("This refresh token was already used, so this sign-in has ended everywhere. Sign in again."),
    )


def revoke_family(family_id: str, reason: str = RevokeReason.LOGOUT) -> int:
    return ApiTokenFamily.objects.filter(pk=family_id).revoke(reason)


def revoke_all(user, reason: str) -> int:
    return ApiTokenFamily.objects.revoke_all(user, reason)


def live_family(family_id: str, user_id) -> ApiTokenFamily | None:
    """The family with its user if it is still live, in one query; else None."""
    return (
        ApiTokenFamily.objects.select_related("user")
        .filter(pk=family_id, user_id=user_id, revoked_at__isnull=True)
        .first()
    )


def _issue_refresh(user, family: ApiTokenFamily) -> RefreshToken:
    """simplejwt's `RefreshToken.for_user`, with the family claim in before the token is
    recorded as outstanding."""
    token = RefreshToken()
    token[api_settings.USER_ID_CLAIM] = str(getattr(user, api_settings.USER_ID_FIELD))
    if api_settings.CHECK_REVOKE_TOKEN:
        token[api_settings.REVOKE_TOKEN_CLAIM] = get_md5_hash_password(user.password)
    token[FAMILY_CLAIM] = str(family.pk)
    OutstandingToken.objects.create(
        user=user,
        jti=token[api_settings.JTI_CLAIM],
        token=str(token),
        created_at=token.current_time,
        expires_at=datetime_from_epoch(token["exp"]),
    )
    return token


def _blacklist_jti(jti: str) -> None:
    outstanding = OutstandingToken.objects.filter(jti=jti).first()
    if outstanding is not None:
        BlacklistedToken.objects.get_or_create(token=outstanding)


def _pair(refresh: RefreshToken, family: ApiTokenFamily) -> TokenPair:
    access = refresh.access_token
    return TokenPair(
        access=str(access),
        refresh=str(refresh),
        access_expires=datetime_from_epoch(access["exp"]),
        refresh_expires=datetime_from_epoch(refresh["exp"]),
        family_id=str(family.pk),
    )
