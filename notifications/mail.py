"""Templated, logged email.

`send_templated_email` renders `notifications/email/<name>_subject.txt`, `<name>.txt`
and `<name>.html`, writes an EmailLog row and hands delivery to a django-q2 job, so a
slow SMTP server never holds up a request and a failure is recorded, not lost.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from django_q.tasks import async_task

from .models import EmailLog, EmailStatus

logger = logging.getLogger(__name__)


def send_templated_email(name: str, user, context: dict | None = None, to: str | None = None) -> EmailLog:
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
    transaction.on_commit(
        lambda: async_task("notifications.mail.deliver", log.pk, task_name=f"mail-{log.pk}")
    )
    return log


def deliver(log_id: int) -> None:
    """The job: send one logged email and record the outcome."""
    log = EmailLog.objects.get(pk=log_id)
    if log.status == EmailStatus.SENT:
        return
    message = EmailMultiAlternatives(log.subject, log.body_text, settings.DEFAULT_FROM_EMAIL, [log.to])
    if log.body_html:
        message.attach_alternative(log.body_html, "text/html")
    try:
        message.send()
    except Exception as error:
        log.status, log.error = EmailStatus.FAILED, str(error)
        log.save(update_fields=["status", "error"])
        logger.warning("email %s to %s failed: %s", log.template, log.to, error)
        raise
    log.status, log.sent_at, log.error = EmailStatus.SENT, timezone.now(), ""
    log.save(update_fields=["status", "sent_at", "error"])
