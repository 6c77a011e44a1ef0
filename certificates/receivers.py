"""Listens to learning (a finished course earns a certificate, if the tier allows) and
to account deletion (the learner's certificates are scrubbed and revoked)."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from learning.signals import course_completed

from .issuing import issue_certificate, retire_certificates_of

logger = logging.getLogger(__name__)


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_course_completed(sender, enrollment, **kwargs):
    # Issuing writes in the sender's transaction; rendering and mail wait for its commit.
    # In a savepoint, and never raising: a certificate problem must not undo the learner's
    # completed lesson. It is logged, and `manage.py issue_certificates` issues it later.
    try:
        with transaction.atomic():
            issue_certificate(enrollment.user, enrollment.course)
    except Exception:
        logger.exception("certificate for enrollment %s not issued", enrollment.pk)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="certificates.retire_on_account_deletion")
def retire_certificates_of_deleted_account(sender, instance, **kwargs):
    retire_certificates_of(instance)
