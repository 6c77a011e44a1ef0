"""How audit log entries read in Reports → Site history and each object's history.

An entry's message is its action's words followed by what changed ("Status: Active →
Revoked") and the reason staff gave, all taken from the entry's `data`.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import LogFormatter

# Our own admin actions (code: label, message). Each entry's data may hold "changes"
# ({field: [old, new]}) and "note" (the reason typed in the form).
ACTIONS = {
    "memberships.subscription.grant": (
        gettext_lazy("Grant subscription"),
        gettext_lazy("Granted a subscription"),
    ),
    "memberships.subscription.extend": (
        gettext_lazy("Extend subscription"),
        gettext_lazy("Extended the subscription"),
    ),
    "memberships.subscription.revoke": (
        gettext_lazy("Revoke subscription"),
        gettext_lazy("Revoked the subscription"),
    ),
    "memberships.order.confirm_transfer": (
        gettext_lazy("Confirm bank transfer"),
        gettext_lazy("Confirmed the bank transfer"),
    ),
    "memberships.order.refund": (gettext_lazy("Refund order"), gettext_lazy("Refunded the order")),
    "certificates.revoke": (gettext_lazy("Revoke certificate"), gettext_lazy("Revoked the certificate")),
    "media_pipeline.video.repackage": (
        gettext_lazy("Package video again"),
        gettext_lazy("Queued the video for packaging again"),
    ),
    "operations.backup.create": (gettext_lazy("Create backup"), gettext_lazy("Made a backup")),
    "operations.backup.restore": (gettext_lazy("Restore backup"), gettext_lazy("Restored this backup")),
    "operations.backup.download": (
        gettext_lazy("Download backup"),
        gettext_lazy("Downloaded the backup archive"),
    ),
    "privacy.erasure.now": (
        gettext_lazy("Erase account now"),
        gettext_lazy("Erased the account at once, without the waiting period"),
    ),
}


def describe(data: dict | None) -> str:
    """ "Field: old → new; …" and the reason, from an entry's data."""
    data = data or {}
    parts = [
        f"{label}: {old or '—'} → {new or '—'}" for label, (old, new) in (data.get("changes") or {}).items()
    ]
    text = "; ".join(parts)
    if data.get("note"):
        text = f"{text} · " if text else ""
        text += _("Reason: %(note)s") % {"note": data["note"]}
    if data.get("via"):
        text = f"{text} · " if text else ""
        text += _("via %(via)s") % {"via": data["via"]}
    return text


class ChangesFormatter(LogFormatter):
    def format_message(self, log_entry):
        details = describe(log_entry.data)
        return f"{self.message} — {details}" if details else str(self.message)


class WithChanges(LogFormatter):
    """Wagtail's own formatter for an action, with what changed appended."""

    def __init__(self, inner: LogFormatter):
        self.inner = inner
        self.label = inner.label

    def format_message(self, log_entry):
        message = self.inner.format_message(log_entry)
        details = describe(log_entry.data)
        return f"{message} — {details}" if details else message

    def format_comment(self, log_entry):
        return self.inner.format_comment(log_entry)


def register(actions) -> None:
    """For the `register_log_actions` hook (run after Wagtail's own)."""
    for code, (label, message) in ACTIONS.items():
        actions.register_action(code)(
            type("Formatter", (ChangesFormatter,), {"label": label, "message": message})
        )
    for code in ("wagtail.create", "wagtail.edit"):
        if code in actions.formatters and not isinstance(actions.formatters[code], WithChanges):
            actions.formatters[code] = WithChanges(actions.formatters[code])
