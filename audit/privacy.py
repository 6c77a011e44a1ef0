"""Personal data kept by the audit trail: account security events, Wagtail's log of what
staff did (page and model log entries) and Django admin's log (see privacy.registry).
The records stay, because they are the history of the site; the person leaves them."""

from django.contrib.admin.models import LogEntry
from django.utils.translation import gettext_lazy as _

from wagtail.models import ModelLogEntry, PageLogEntry

from privacy.registry import ErasureContext, declare, owned_rows, replace_text

from .models import SecurityEvent


def _needles(context: ErasureContext) -> list[str]:
    return [*context.emails, context.user.full_name]


def _forget_security_events(context: ErasureContext):
    SecurityEvent.objects.filter(user=context.user).update(
        user=None, client_address=None, user_agent="", identifier=""
    )
    SecurityEvent.objects.filter(identifier__in=context.emails).update(
        client_address=None, user_agent="", identifier=""
    )
    return replace_text(SecurityEvent.objects.all(), ["data"], _needles(context), context.pseudonym)


def _forget_log_entries(model):
    def erase(context: ErasureContext):
        # The user column has no foreign-key constraint (Wagtail keeps entries of deleted
        # accounts), so detach it by hand.
        model.objects.filter(user_id=context.user.pk).update(user=None)
        return replace_text(model.objects.all(), ["label", "data"], _needles(context), context.pseudonym)

    return erase


def _forget_admin_log(context: ErasureContext):
    LogEntry.objects.filter(user=context.user).delete()
    return replace_text(
        LogEntry.objects.all(), ["object_repr", "change_message"], _needles(context), context.pseudonym
    )


declare(
    "audit.SecurityEvent",
    fields=["user", "identifier", "client_address", "user_agent"],
    purpose=_("Sign-ins, failures, lockouts and security changes on your account, against account takeover."),
    retention=_("AUDIT_RETENTION_DAYS (365 by default)."),
    area="logins",
    export=owned_rows(
        "audit.SecurityEvent", "kind", "identifier", "client_address", "user_agent", "at", "data"
    ),
    erase=_forget_security_events,
    on_erasure=_("Kept for the counts; the account, email, address and browser are removed."),
)
declare(
    "wagtailcore.ModelLogEntry",
    fields=["user"],
    purpose=_("What staff changed in the admin (users, tiers, coupons …), and who."),
    retention=_("While the site exists (the site's history)."),
    area="content",
    export=owned_rows("wagtailcore.ModelLogEntry", "action", "label", "timestamp"),
    erase=_forget_log_entries(ModelLogEntry),
    on_erasure=_("Kept; the account and any mention of its email or name are replaced by a pseudonym."),
)
declare(
    "wagtailcore.PageLogEntry",
    fields=["user"],
    purpose=_("What staff changed in pages, and who."),
    retention=_("While the site exists (the site's history)."),
    area="content",
    export=owned_rows("wagtailcore.PageLogEntry", "action", "label", "timestamp"),
    erase=_forget_log_entries(PageLogEntry),
    on_erasure=_("Kept; the account and any mention of its email or name are replaced by a pseudonym."),
)
declare(
    "admin.LogEntry",
    fields=["user"],
    purpose=_("What staff changed in Django's own admin, and who."),
    retention=_("While the site exists."),
    area="content",
    export=owned_rows("admin.LogEntry", "action_time", "object_repr", "change_message"),
    erase=_forget_admin_log,
    on_erasure=_("The account's own entries are deleted; mentions elsewhere replaced by a pseudonym."),
)
