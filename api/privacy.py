"""Personal data kept by the API: refresh tokens (simplejwt's outstanding and blacklisted
tokens), idempotency keys, and Wagtail's own API tokens (see privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import declare, delete_owned, owned_rows

declare(
    "api.IdempotencyKey",
    fields=["user"],
    purpose=_("Your app's recent requests and their answers, so a retry does not act twice."),
    retention=_("24 hours."),
    area="api",
    export=owned_rows("api.IdempotencyKey", "key", "status_code", "created_at"),
    erase=delete_owned("api.IdempotencyKey"),
    on_erasure=_("Deleted."),
)
declare(
    "token_blacklist.OutstandingToken",
    fields=["user"],
    purpose=_("Each refresh token issued to your apps, so it can be revoked."),
    retention=_("Until it expires (7 days)."),
    area="api",
    # The token itself is a credential: only its id and dates leave the database.
    export=owned_rows(
        "token_blacklist.OutstandingToken",
        "jti",
        "created_at",
        "expires_at",
        "blacklistedtoken__blacklisted_at",
    ),
    erase=delete_owned("token_blacklist.OutstandingToken"),
    on_erasure=_("Revoked at once when you ask to delete the account, then deleted."),
)
declare(
    "wagtailcore.APIToken",
    fields=["user"],
    purpose=_("API tokens a staff member created in the admin."),
    retention=_("Until revoked or the account is deleted."),
    area="api",
    export=owned_rows("wagtailcore.APIToken", "name", "prefix", "created", "revoked_at", "last_used_at"),
    erase=delete_owned("wagtailcore.APIToken"),
    on_erasure=_("Deleted."),
)
declare(
    "accounts.ApiTokenFamily",
    fields=["user"],
    purpose=_("Each API sign-in of your apps (a family of rotating tokens), so it can be ended."),
    retention=_("Until all its tokens have expired (a daily job deletes it)."),
    area="api",
    export=owned_rows("accounts.ApiTokenFamily", "created_at", "rotated_at", "revoked_at", "revoked_reason"),
    erase=delete_owned("accounts.ApiTokenFamily"),
    on_erasure=_("Revoked at once when you ask to delete the account, then deleted."),
)
