"""How an API request proves who it is: `Authorization: Bearer <access token>` (simplejwt).

An access token is refused when it is expired or forged (simplejwt), when its account is
inactive, or when it was issued before the account's tokens were revoked (logout
everywhere, a password change, deactivation): `accounts` records that moment and
`tokens_revoked_after(user)` answers it."""

from rest_framework_simplejwt.authentication import JWTAuthentication


class AccessTokenAuthentication(JWTAuthentication):
    www_authenticate_realm = "api"
