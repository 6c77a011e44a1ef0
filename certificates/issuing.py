"""Issuing and revoking certificates: the only code that writes them.

`issue_certificate` is what the `course_completed` receiver calls. It is idempotent
under concurrency: the (user, course) unique constraint decides, so when ten
completions arrive at once one insert wins and the others return the winner's row.
"""

import logging
import re
import secrets
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from django_q.tasks import async_task

from memberships import policy
from notifications.inbox import notify

from . import status_list
from .credentials import achievement_id, recipient_identity
from .models import Certificate

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a number read off paper or over the phone cannot be misheard.
NUMBER_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
NUMBER_PATTERN = re.compile(r"^LCT-(\d{4})-([ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6})$")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
_MAX_ATTEMPTS = 8


def new_number(year: int) -> str:
    code = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))
    return f"LCT-{year:04d}-{code}"


def normalize_number(text: str) -> str | None:
    """The canonical number for what someone typed or scanned, or None if it cannot be one.

    Forgives case, spaces and typographic dashes (a number pasted from a PDF or a word
    processor); anything else is refused rather than guessed.
    """
    cleaned = "".join((text or "").translate(_DASHES).split()).upper()
    return cleaned if NUMBER_PATTERN.match(cleaned) else None


def _snapshot(user, course) -> dict:
    instructors = course.instructors.order_by("full_name", "email")
    salt = secrets.token_hex(16)
    return {
        "learner_name": (user.get_full_name() or user.email)[:200],
        "course_title": course.title[:255],
        "instructor_names": "\n".join(person.get_full_name() for person in instructors)[:500],
        "achievement_id": achievement_id(course),
        "recipient_salt": salt,
        "recipient_hash": recipient_identity(user.email, salt),
    }


def issue_certificate(user, course) -> Certificate | None:
    """Issue `user`'s certificate for `course` if the policy allows; None if not.

    Returns the existing certificate when there already is one. A new one is rendered,
    mailed and announced by a job queued after the caller's transaction commits.
    """
    if not policy.can_get_certificate(user, course):
        return None
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing:
        return existing
    now = timezone.now()
    fields = _snapshot(user, course)
    for _attempt in range(_MAX_ATTEMPTS):
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction survives a clash
                certificate = Certificate.objects.create(
                    user=user,
                    course=course,
                    number=new_number(now.year),
                    issued_at=now,
                    status_list_index=status_list.draw_index(Certificate.objects.count()),
                    **fields,
                )
        except IntegrityError:
            existing = Certificate.objects.filter(user=user, course=course).first()
            if existing:
                return existing
            # The number or the status index was taken: draw both again.
            continue
        transaction.on_commit(partial(_queue_delivery, certificate))
        logger.info("certificate %s issued to user %s for course %s", certificate.number, user.pk, course.pk)
        return certificate
    raise RuntimeError("Could not draw a free certificate number and status index.")


def _queue_delivery(certificate: Certificate) -> None:
    async_task(
        "certificates.tasks.render_and_deliver", certificate.pk, task_name=f"certificate-{certificate.number}"
    )


def revoke_certificate(certificate: Certificate, *, actor, reason: str) -> Certificate:
    """Revoke with an audit trail (who, when, why). The published status list reads the
    revoked rows, so the bit flips at the next fetch. Revoking twice changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required to revoke a certificate.")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.is_revoked:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revoked_reason = reason[:255]
        locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    # Only a learner who was told of the certificate hears of its revocation: one revoked
    # before its delivery job ran was never announced, and "revoked" must never be the
    # first word a learner gets about a certificate.
    if locked.user_id and locked.delivered_at:
        notify(
            locked.user,
            "certificate_revoked",
            f"Your certificate for {locked.course_title} was revoked",
            body=f"Certificate {locked.number}: {locked.revoked_reason}",
            url=locked.get_absolute_url(),
        )
    logger.warning(
        "certificate %s revoked by user %s: %s",
        locked.number,
        getattr(actor, "pk", None),
        locked.revoked_reason,
    )
    return locked


ACCOUNT_DELETED_REASON = "The learner's account was deleted."


def retire_certificates_of(user) -> int:
    """Before an account is deleted: revoke its certificates and drop what names the learner.

    The rows stay (with `user` set to NULL by the foreign key), so each one's status-list
    bit stays set and its index is never reused: a credential the learner kept cannot
    turn valid again for someone else's certificate. The PDF, which carries the name,
    is deleted.
    """
    retired = 0
    with transaction.atomic():
        for certificate in Certificate.objects.select_for_update().filter(user=user):
            if certificate.pdf:
                certificate.pdf.delete(save=False)
            certificate.learner_name = ""
            certificate.recipient_hash = ""
            if not certificate.is_revoked:
                certificate.revoked_at = timezone.now()
                certificate.revoked_reason = ACCOUNT_DELETED_REASON
            certificate.save(
                update_fields=["pdf", "learner_name", "recipient_hash", "revoked_at", "revoked_reason"]
            )
            retired += 1
    return retired


def own_certificate(user, number: str) -> Certificate | None:
    """The certificate with this number if `user` may open its files: its owner, or
    content staff. Anyone else gets None, exactly as for a number that does not exist,
    so a stranger cannot even learn that it exists. A deleted account's scrubbed
    certificate has no files any more, for anyone."""
    canonical = normalize_number(number)
    if not canonical or not user.is_authenticated:
        return None
    certificate = (
        Certificate.objects.select_related("user").filter(number=canonical, user__isnull=False).first()
    )
    if certificate is None or (certificate.user_id != user.pk and not policy.is_content_staff(user)):
        return None
    return certificate
