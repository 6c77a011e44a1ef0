"""Our Wagtail document model, swapped in so every uploaded file is stored privately.

Ebooks and lesson attachments are paid content: they go to STORAGES["private"] (a folder
outside MEDIA_ROOT, or a private S3 prefix), never to the public media storage, so the
only way to a file is a Django view that asks the policy first.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.documents.models import AbstractDocument, Document

from .storage import private_storage


class LecternDocument(AbstractDocument):
    file = models.FileField(upload_to="documents", storage=private_storage, verbose_name=_("file"))

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        permissions = [("choose_document", "Can choose document")]
