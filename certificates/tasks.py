"""Jobs (django-q2): render the PDF, store it privately, mail it and tell the learner.

`render_and_deliver` is queued once a certificate's issuing transaction commits. It is
safe to run again (a retry, or a second worker): one PDF is kept, and the mail and the
in-site notice go out once, both decided under a row lock.

The PDF is rendered and stored before any transaction begins: on SQLite a write
transaction holds the database's one write lock, and the other cluster's jobs and the
web requests would wait on it (or fail with "database is locked") for the whole render.
A short transaction then points the row at the file; if it rolls back, or another
worker's PDF got there first, our file is removed (operations.files).
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from notifications.inbox import notify
from notifications.mail import send_templated_email
from operations.files import files_kept_on_commit

from .models import Certificate
from .pdf import render_certificate_pdf


def render_and_deliver(certificate_id: int) -> None:
    certificate = ensure_pdf(Certificate.objects.get(pk=certificate_id))
    deliver(certificate)


def ensure_pdf(certificate: Certificate) -> Certificate:
    """The certificate with its PDF stored (rendering it now if it is not yet)."""
    if certificate.pdf:
        return certificate
    content = ContentFile(render_certificate_pdf(certificate))
    field = certificate.pdf.field
    with files_kept_on_commit() as files:
        name = files.save(
            certificate.pdf.storage,
            field.generate_filename(certificate, certificate.pdf_filename),
            content,
            max_length=field.max_length,
        )
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
            if not locked.pdf:
                locked.pdf.name = name
                locked.rendered_at = timezone.now()
                locked.save(update_fields=["pdf", "rendered_at"])
        if locked.pdf.name != name:
            files.discard(name)  # another worker stored one first: keep a single copy
    return locked


def deliver(certificate: Certificate) -> None:
    """Mail the PDF (logged, attached) and add the in-site notice — once."""
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update(of=("self",)).select_related("user").get(pk=certificate.pk)
        )
        if locked.delivered_at or locked.is_revoked or locked.user_id is None:
            return
        context = {"certificate": locked, "verification_url": locked.verification_url}
        send_templated_email(
            "certificate_issued",
            locked.user,
            context,
            attachments=[(locked.pdf_filename, locked.pdf.name, "application/pdf")],
        )
        notify(
            locked.user,
            "certificate_issued",
            f"Your certificate for {locked.course_title} is ready",
            body=f"Certificate {locked.number}. Download the PDF or the verifiable credential from My learning.",
            url=locked.get_absolute_url(),
        )
        locked.delivered_at = timezone.now()
        locked.save(update_fields=["delivered_at"])
