"""Templated, logged email.

`send_templated_email` renders `notifications/email/<name>_subject.txt`, `<name>.txt`
and `<name>.html`, writes an EmailLog row and hands delivery to a django-q2 job, so a
slow SMTP server never holds up a request and a failure is recorded, not lost.
"""

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.files.storage import storages
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from django_q.tasks import async_task

from .models import EmailLog, EmailStatus

logger = logging.getLogger(__name__)

# (filename shown to the reader, name in storages["private"], content type)
StoredAttachment = tuple[str, str, str]


def send_templated_email(
    name: str,
    user,
    context: dict | None = None,
    to: str | None = None,
    attachments: Sequence[StoredAttachment] = (),
    forget_after_sending: bool = False,
) -> EmailLog:
    """Log and queue one templated email.

    `attachments` are files already kept in `storages["private"]`, given as
    (filename, storage name, content type). Only these references travel with the job,
    so a retried delivery attaches the same files again.

    `forget_after_sending` is for the last email to an erased account: once sent, its
    log keeps only the template and the times, not the address or the text.
    """
    context = {
        "user": user,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        **(context or {}),
    }
    subject = " ".join(render_to_string(f"notifications/email/{name}_subject.txt", context).split())
    log = EmailLog.objects.create(
        user=user,
        to=to or user.email,
        template=name,
        subject=subject,
        body_text=render_to_string(f"notifications/email/{name}.txt", context),
        body_html=render_to_string(f"notifications/email/{name}.html", context),
    )
    # Queue only once the caller's transaction commits: a rolled-back payment sends nothing.
    extra = {"attachments": [tuple(item) for item in attachments]} if attachments else {}
    if forget_after_sending:
        extra["forget"] = True
    transaction.on_commit(
        lambda: async_task("notifications.mail.deliver", log.pk, task_name=f"mail-{log.pk}", **extra)
    )
    return log


def deliver(log_id: int, attachments: Sequence[StoredAttachment] = (), forget: bool = False) -> None:
    """The job: send one logged email (with its stored attachments) and record the outcome."""
    log = EmailLog.objects.get(pk=log_id)
    if log.status == EmailStatus.SENT:
        return
    message = EmailMultiAlternatives(log.subject, log.body_text, settings.DEFAULT_FROM_EMAIL, [log.to])
    if log.body_html:
        message.attach_alternative(log.body_html, "text/html")
    try:
        # Inside the try: a missing attachment is recorded as a failure like an SMTP error.
        for filename, stored_name, content_type in attachments:
            with storages["private"].open(stored_name, "rb") as stored:
                message.attach(filename, stored.read(), content_type)
        message.send()
    except Exception as error:
        log.status, log.error = EmailStatus.FAILED, str(error)
        log.save(update_fields=["status", "error"])
        logger.warning("email %s to %s failed: %s", log.template, log.to, error)
        raise
    log.status, log.sent_at, log.error = EmailStatus.SENT, timezone.now(), ""
    log.save(update_fields=["status", "sent_at", "error"])
    if forget:
        EmailLog.objects.filter(pk=log.pk).update(to="", subject="", body_text="", body_html="")
