"""Background jobs: provider calls with bounded retries, and reminders.

Every provider call runs as a django-q2 job so a slow or failing Google never holds up
the admin. django-q2 does not retry a job that raised, so `sync_provider` retries
itself: a failure that can pass (network, 5xx) schedules the same call again with a
growing delay until LIVE_PROVIDER_MAX_ATTEMPTS; a permanent one (bad settings, 4xx)
stops at once. Status and the last error are written on the session, where the admin
shows them.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from .models import LiveSession, ProviderStatus, ReminderKind, SessionReminder
from .providers import ProviderError, get_provider

logger = logging.getLogger(__name__)

ACTIONS = ("create", "update", "refresh", "cancel")
REMINDER_LEADS = {ReminderKind.DAY: timedelta(hours=24), ReminderKind.HOUR: timedelta(hours=1)}


def queue_provider_call(session: LiveSession, action: str, provider_name: str | None = None) -> None:
    """Queue `action` once the caller's transaction commits (a rolled-back save calls nobody)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown provider action {action!r}")
    provider_name = provider_name or session.provider
    if action != "cancel":
        LiveSession.objects.filter(pk=session.pk).update(
            provider_status=ProviderStatus.PENDING, provider_error="", provider_attempts=0
        )
    transaction.on_commit(
        lambda: async_task(
            "live.tasks.sync_provider",
            session.pk,
            action,
            provider_name,
            1,
            task_name=f"live-{action}-{session.pk}",
        )
    )


def _retry_later(session_id: int, action: str, provider_name: str, attempt: int, delay: timedelta) -> None:
    schedule(
        "live.tasks.sync_provider",
        session_id,
        action,
        provider_name,
        attempt,
        schedule_type=Schedule.ONCE,
        repeats=-1,
        next_run=timezone.now() + delay,
    )


def _record(session_id: int, **fields) -> None:
    # update(), not save(): an admin may be editing the session while the job runs.
    LiveSession.objects.filter(pk=session_id).update(**fields)


def sync_provider(session_id: int, action: str, provider_name: str, attempt: int = 1) -> str:
    """The job: one provider call for one session. Returns a short outcome for the task log."""
    session = LiveSession.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        return "gone"
    if action != "cancel" and (session.is_cancelled or session.provider != provider_name):
        return "superseded"
    provider = get_provider(provider_name)
    try:
        if action == "cancel":
            provider.cancel(session)
            return "cancelled"
        result = getattr(provider, action)(session)
    except ProviderError as error:
        return _failed(session, action, provider_name, attempt, error)
    except Exception as error:
        logger.exception("live session %s: %s on %s failed", session_id, action, provider_name)
        return _failed(
            session, action, provider_name, attempt, ProviderError(f"{type(error).__name__}: {error}")
        )

    fields = {"provider_attempts": attempt}
    if result.event_id:
        fields["provider_event_id"] = result.event_id
    if result.join_url:
        fields["join_url"] = result.join_url
    if not result.pending:
        _record(session_id, provider_status=ProviderStatus.OK, provider_error="", **fields)
        return "ok"
    if attempt >= settings.LIVE_MEET_LINK_POLLS:
        _record(
            session_id,
            provider_status=ProviderStatus.FAILED,
            provider_error=f"The meeting link was still not ready after {attempt} checks. Save the session to try again.",
            **fields,
        )
        return "failed: link never arrived"
    _record(session_id, provider_status=ProviderStatus.PENDING, provider_error="", **fields)
    _retry_later(
        session_id,
        "refresh",
        provider_name,
        attempt + 1,
        timedelta(seconds=settings.LIVE_MEET_LINK_POLL_SECONDS),
    )
    return "pending"


def _failed(session, action: str, provider_name: str, attempt: int, error: ProviderError) -> str:
    message = str(error) or type(error).__name__
    if error.permanent or attempt >= settings.LIVE_PROVIDER_MAX_ATTEMPTS:
        _record(
            session.pk,
            provider_status=ProviderStatus.FAILED,
            provider_error=f"{action} failed after {attempt} attempt(s): {message}",
            provider_attempts=attempt,
        )
        logger.warning("live session %s: %s on %s gave up: %s", session.pk, action, provider_name, message)
        return "failed"
    _record(
        session.pk,
        provider_status=ProviderStatus.PENDING,
        provider_error=f"Attempt {attempt} failed, retrying: {message}",
        provider_attempts=attempt,
    )
    _retry_later(
        session.pk,
        action,
        provider_name,
        attempt + 1,
        timedelta(seconds=settings.LIVE_PROVIDER_RETRY_SECONDS * attempt),
    )
    return "retrying"


def _reminder_due(session: LiveSession, kind: str, now) -> bool:
    lead = REMINDER_LEADS[kind]
    if not (session.starts_at - lead <= now < session.starts_at):
        return False
    # A session planned inside the lead time already got its invitation then; a
    # "tomorrow" reminder an hour before the start would only confuse.
    if session.created_at > session.starts_at - lead:
        return False
    return not (kind == ReminderKind.DAY and session.starts_at - now <= REMINDER_LEADS[ReminderKind.HOUR])


def send_due_reminders(now=None) -> int:
    """The scheduled job (every few minutes): send each due reminder exactly once.

    The SessionReminder row is claimed before any mail goes out; its unique
    constraint means a second run, or a second worker, finds it taken and sends nothing.
    """
    from .invitations import send_to_learners

    now = now or timezone.now()
    horizon = now + max(REMINDER_LEADS.values())
    candidates = (
        LiveSession.objects.scheduled()
        .filter(starts_at__gt=now, starts_at__lte=horizon)
        .select_related("course")
    )
    sent = 0
    for session in candidates:
        for kind in REMINDER_LEADS:
            if not _reminder_due(session, kind, now):
                continue
            try:
                with transaction.atomic():
                    reminder = SessionReminder.objects.create(session=session, kind=kind)
                    count = send_to_learners(session, "reminder", reminder_kind=kind)
                    reminder.recipients = count
                    reminder.save(update_fields=["recipients"])
            except IntegrityError:
                continue  # another run claimed it
            sent += 1
    return sent
