"""How an API request proves who it is: `Authorization: Bearer <access token>` (simplejwt).

An access token is refused when it is expired or forged (simplejwt), when its account is
inactive or gone, when the account's password changed since it was issued (the token
carries a digest of the password hash: simplejwt's `CHECK_REVOKE_TOKEN`), or when its
sign-in has ended: logout, a replayed refresh token, or an account-wide revocation mark
its family revoked (`accounts.api_tokens`). The family and its user come in one query,
the same one query simplejwt spends on the user alone.
"""

from django.utils.translation import gettext_lazy as _

from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt import exceptions as jwt_exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.api_tokens import FAMILY_CLAIM, live_family


class AccessTokenAuthentication(JWTAuthentication):
    www_authenticate_realm = "api"

    def get_user(self, validated_token):
        family_id = validated_token.get(FAMILY_CLAIM)
        if family_id is None:
            # Not from an API sign-in (a token made in code): simplejwt's own checks,
            # whose refusals keep their code in a dict the error envelope does not read.
            try:
                return super().get_user(validated_token)
            except jwt_exceptions.AuthenticationFailed as refusal:
                detail = refusal.detail
                raise AuthenticationFailed(str(detail["detail"]), code=str(detail["code"])) from refusal
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as error:
            raise InvalidToken(_("Token contained no recognizable user identification")) from error
        family = live_family(family_id, user_id)
        if family is None:
            raise AuthenticationFailed(_("This sign-in has ended. Sign in again."), code="token_revoked")
        user = family.user
        if not user.is_active:
            raise AuthenticationFailed(_("This account is not active."), code="user_inactive")
        if validated_token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
            raise AuthenticationFailed(
                _("The password was changed since this token was issued. Sign in again."),
                code="password_changed",
            )
        return user


def bearer_user(request):
    """The user of a valid `Authorization: Bearer` access token on a plain Django request
    (the video playlists and key an API client's player fetches), else None. The same
    checks as every API view: expired, forged or revoked tokens give None."""
    try:
        found = AccessTokenAuthentication().authenticate(request)
    except (AuthenticationFailed, InvalidToken):
        return None
    return found[0] if found else None
