"""Certificates learners earn by finishing a course.

A certificate keeps a snapshot of what it certified (the learner's name, the course
title, the instructors) as it was on the day it was issued: a later rename must not
change a document someone has already printed, mailed or shown to an employer.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _private_storage():
    return storages["private"]


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)

    def revoked(self):
        return self.filter(revoked_at__isnull=False)


class Certificate(models.Model):
    # SET_NULL, not CASCADE: a deleted account's certificate is kept, scrubbed and revoked
    # (receivers.py), so its status-list bit stays set and is never handed to someone else.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    # SET_NULL: deleting a course must not delete (or block on) what learners earned; the
    # snapshot below still says what was certified.
    course = models.ForeignKey(
        "learning.CoursePage", null=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    number = models.CharField(
        max_length=20, unique=True, editable=False, help_text=_("Public number, LCT-YYYY-XXXXXX.")
    )
    issued_at = models.DateTimeField(editable=False)
    # Snapshot at issue time (see the module docstring).
    learner_name = models.CharField(max_length=200, editable=False)
    course_title = models.CharField(max_length=255, editable=False)
    instructor_names = models.CharField(max_length=500, blank=True, editable=False)
    achievement_id = models.CharField(
        max_length=500, editable=False, help_text=_("The Open Badges achievement id (a URL).")
    )
    # The learner's email at issue time, salted and hashed (Open Badges IdentityObject):
    # the credential proves who it was issued to without publishing the address.
    recipient_salt = models.CharField(max_length=32, editable=False)
    recipient_hash = models.CharField(max_length=80, editable=False)

    # Position of this certificate in the published Bitstring Status List.
    status_list_index = models.PositiveIntegerField(unique=True, editable=False)

    pdf = models.FileField(upload_to="certificates/", storage=_private_storage, blank=True, editable=False)
    rendered_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text=_("When the email and notice went out.")
    )

    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_reason = models.CharField(max_length=255, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            # Issuing is idempotent because of this constraint, not because of a prior read:
            # two completions at once both try to insert and the loser gets the winner's row.
            models.UniqueConstraint(fields=["user", "course"], name="one_certificate_per_course"),
        ]
        permissions = [("revoke_certificate", "Can revoke certificates")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify_number", args=[self.number])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def instructors(self) -> list[str]:
        return [name for name in self.instructor_names.split("\n") if name]

    @property
    def verification_url(self) -> str:
        """The absolute, public verification address (printed as the QR code)."""
        return settings.CERTIFICATE_BASE_URL + self.get_absolute_url()

    @property
    def pdf_filename(self) -> str:
        return f"{self.number}.pdf"
