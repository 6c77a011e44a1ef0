"""Personal data kept by privacy itself: export and erasure requests, consent records."""

from django.utils.translation import gettext_lazy as _

from .models import ErasureRequest, ExportRequest
from .registry import ErasureContext, declare, delete_owned, owned_rows


def _delete_exports(context: ErasureContext):
    for export in ExportRequest.objects.filter(user=context.user):
        if export.file:
            export.file.delete(save=False)
        export.delete()


def _keep_erasure_record(context: ErasureContext):
    # The request row stays as the record that the erasure happened, under the pseudonym.
    return ErasureRequest.objects.filter(user=context.user).update(user=None)


declare(
    "privacy.ExportRequest",
    fields=["user"],
    purpose=_("Your requests to download your data, and the file while its link works."),
    retention=_("The file: 72 hours. The request: while the account exists."),
    area="consent",
    export=owned_rows("privacy.ExportRequest", "status", "requested_at", "ready_at", "expires_at"),
    erase=_delete_exports,
    on_erasure=_("Deleted, files included."),
)
declare(
    "privacy.ErasureRequest",
    fields=["user"],
    purpose=_("Your request to delete the account, so it can be cancelled and then carried out."),
    retention=_("Kept after the erasure under a pseudonym, as the record that it was done."),
    area="consent",
    export=owned_rows("privacy.ErasureRequest", "status", "requested_at", "erase_after", "cancelled_at"),
    erase=_keep_erasure_record,
    on_erasure=_("Kept under the pseudonym only."),
)
declare(
    "privacy.ConsentRecord",
    fields=["user"],
    purpose=_("Your choices about the analytics cookie and marketing email, and when you made them."),
    retention=_("While the account exists."),
    area="consent",
    export=owned_rows("privacy.ConsentRecord", "purpose", "granted", "created_at"),
    erase=delete_owned("privacy.ConsentRecord"),
    on_erasure=_("Deleted."),
)
