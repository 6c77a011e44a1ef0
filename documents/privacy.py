"""Personal data kept with documents: which staff member uploaded each one (see privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import declare, detach, owned_rows

declare(
    "documents.LecternDocument",
    fields=["uploaded_by_user"],
    purpose=_("Which staff member uploaded each file."),
    retention=_("While the file exists."),
    area="content",
    export=owned_rows("documents.LecternDocument", "title", "created_at", owner="uploaded_by_user"),
    erase=detach("documents.LecternDocument", owner="uploaded_by_user"),
    on_erasure=_("The file stays; the uploader is removed."),
)
declare(
    "wagtaildocs.Document",
    fields=["uploaded_by_user"],
    purpose=_("Wagtail's own model, unused (the site uses its own); declared so nothing is missed."),
    retention=_("None kept."),
    area="content",
    erase=detach("wagtaildocs.Document", owner="uploaded_by_user"),
    on_erasure=_("The uploader is removed."),
)
