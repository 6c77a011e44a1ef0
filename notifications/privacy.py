"""Personal data kept by notifications: emails sent and in-site notices (see
privacy.registry)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.registry import ErasureContext, declare, delete_owned, owned_rows

from .models import EmailLog


def _delete_emails(context: ErasureContext):
    return EmailLog.objects.filter(Q(user=context.user) | Q(to__in=context.emails)).delete()


declare(
    "notifications.EmailLog",
    fields=["user", "to"],
    purpose=_("Every email we sent you and whether it was delivered."),
    retention=_("While the account exists."),
    area="notifications",
    export=owned_rows(
        "notifications.EmailLog", "to", "template", "subject", "body_text", "status", "created_at", "sent_at"
    ),
    erase=_delete_emails,
    on_erasure=_("Deleted; the final 'your account was deleted' email is forgotten once sent."),
)
declare(
    "notifications.Notification",
    fields=["user"],
    purpose=_("Notices shown in your notification list."),
    retention=_("While the account exists."),
    area="notifications",
    export=owned_rows("notifications.Notification", "kind", "title", "body", "url", "created_at", "read_at"),
    erase=delete_owned("notifications.Notification"),
    on_erasure=_("Deleted."),
)
