"""Personal data kept with images: which staff member uploaded each one (see privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import declare, detach, owned_rows

declare(
    "images.LecternImage",
    fields=["uploaded_by_user"],
    purpose=_("Which staff member uploaded each file."),
    retention=_("While the file exists."),
    area="content",
    export=owned_rows("images.LecternImage", "title", "created_at", owner="uploaded_by_user"),
    erase=detach("images.LecternImage", owner="uploaded_by_user"),
    on_erasure=_("The file stays; the uploader is removed."),
)
declare(
    "wagtailimages.Image",
    fields=["uploaded_by_user"],
    purpose=_("Wagtail's own model, unused (the site uses its own); declared so nothing is missed."),
    retention=_("None kept."),
    area="content",
    erase=detach("wagtailimages.Image", owner="uploaded_by_user"),
    on_erasure=_("The uploader is removed."),
)
