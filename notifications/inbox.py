"""In-site notifications: what a learner sees in their list, with an unread count.

Callers (enrollment, certificates, live sessions) call `notify` next to the email they
send for the same event; the list and the count are read from here too.
"""

from django.utils import timezone

from .models import Notification


def notify(user, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, title=title[:200], body=body, url=url[:500])


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (once: the first reading time stays).
    Raises Notification.DoesNotExist for anyone else's."""
    notification = Notification.objects.get(pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
