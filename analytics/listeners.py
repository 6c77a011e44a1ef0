"""Turns what other apps announce into analytics events (connected in AnalyticsConfig.ready).

Receivers record inside the sender's transaction, in a savepoint (recording.save_events):
an event for a payment that rolls back disappears with it, and a failed insert is
logged without touching the payment, enrollment or sign-up.
"""

from django.dispatch import receiver

from allauth.account.signals import user_signed_up

from learning.signals import course_completed, enrolled
from media_pipeline.signals import playback_started
from memberships.signals import order_paid

from .models import EventKind
from .recording import record


@receiver(user_signed_up, dispatch_uid="analytics.registration")
def on_user_signed_up(sender, request=None, user=None, **kwargs):
    record(EventKind.REGISTRATION, user=user, request=request)


@receiver(enrolled, dispatch_uid="analytics.enrollment")
def on_enrolled(sender, enrollment=None, **kwargs):
    record(EventKind.ENROLLMENT, user=enrollment.user, course_id=enrollment.course_id)


@receiver(course_completed, dispatch_uid="analytics.completion")
def on_course_completed(sender, enrollment=None, **kwargs):
    record(EventKind.COMPLETION, user=enrollment.user, course_id=enrollment.course_id)


@receiver(playback_started, dispatch_uid="analytics.video_play")
def on_playback_started(sender, user=None, lesson=None, video=None, playback_session=None, **kwargs):
    course = lesson.__dict__.get("course") if lesson is not None else None
    record(
        EventKind.VIDEO_PLAY,
        user=user,
        lesson_id=getattr(lesson, "pk", None),
        course_id=getattr(course, "pk", None),
        data={"video": str(video.public_id)} if video is not None else {},
    )


@receiver(order_paid, dispatch_uid="analytics.purchase")
def on_order_paid(sender, order=None, **kwargs):
    record(
        EventKind.PURCHASE,
        user=order.user,
        tier_id=order.tier_id,
        course_id=getattr(order.course, "pk", None),
        amount=order.amount,
        currency=order.currency,
        data={"order": order.reference, "provider": order.provider},
    )
