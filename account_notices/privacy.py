"""Personal data kept by account notices: the (address, browser) pairs you signed in
from, to tell you about a new one (see privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import declare, delete_owned, owned_rows

declare(
    "account_notices.SignInDevice",
    fields=["user", "ip_address", "user_agent_hash", "user_agent"],
    purpose=_("The addresses and browsers you signed in from, to email you about a new one."),
    retention=_("90 days after it was last used (PRIVACY_LOGIN_RECORD_DAYS)."),
    area="logins",
    export=owned_rows("account_notices.SignInDevice", "ip_address", "user_agent", "first_seen", "last_seen"),
    erase=delete_owned("account_notices.SignInDevice"),
    on_erasure=_("Deleted."),
)
