"""Personal data kept by certificates (see privacy.registry). An erased learner's
certificates are revoked and stripped of the name, but the rows stay so their status-list
bits are never reused (certificates.issuing.retire_certificates_of)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import ErasureContext, declare, detach, owned_rows

from .credentials import signed_credential
from .issuing import retire_certificates_of
from .models import Certificate


def _files(user):
    for certificate in Certificate.objects.filter(user=user).order_by("pk"):
        if certificate.pdf:
            with certificate.pdf.open("rb") as pdf:
                yield f"certificates/{certificate.number}.pdf", pdf.read()
        if not certificate.is_revoked:
            yield f"certificates/{certificate.number}.credential.jwt", signed_credential(certificate).encode()


def _retire(context: ErasureContext):
    retired = retire_certificates_of(context.user)
    Certificate.objects.filter(user=context.user).update(user=None)
    detach("certificates.Certificate", owner="revoked_by")(context)
    return retired


declare(
    "certificates.Certificate",
    fields=["user", "learner_name", "revoked_by"],
    purpose=_("Certificates you earned, with your name as printed, so anyone can verify them."),
    retention=_("While the account exists; revoked and stripped of the name when it is deleted."),
    area="certificates",
    export=owned_rows(
        "certificates.Certificate", "number", "learner_name", "course_title", "issued_at", "revoked_at"
    ),
    files=_files,
    erase=_retire,
    on_erasure=_("Revoked; the name and PDF are removed; the public check no longer shows a name."),
)
