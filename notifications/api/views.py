"""The notifications API: the caller's own list, unread count and "mark read", through
`notifications.inbox` as the site's list page does. Another user's notification is 404."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from .. import inbox
from ..models import Notification
from .serializers import MarkedSerializer, NotificationSerializer, UnreadCountSerializer


class NotificationList(generics.ListAPIView):
    """The caller's notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user).order_by("-created_at", "-pk")


class UnreadCount(generics.GenericAPIView):
    """How many of the caller's notifications are unread (the badge)."""

    serializer_class = UnreadCountSerializer

    def get(self, request):
        return Response(self.get_serializer({"unread": inbox.unread_count(request.user)}).data)


class MarkRead(generics.GenericAPIView):
    """Mark one of the caller's notifications read; answers it as it is now."""

    serializer_class = NotificationSerializer

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request, notification_id: int):
        try:
            notification = inbox.mark_read(request.user, notification_id)
        except Notification.DoesNotExist:
            raise NotFound() from None
        return Response(self.get_serializer(notification).data)


class MarkAllRead(generics.GenericAPIView):
    """Mark every one of the caller's notifications read."""

    serializer_class = MarkedSerializer

    @extend_schema(request=None, responses={200: MarkedSerializer})
    def post(self, request):
        return Response(self.get_serializer({"marked": inbox.mark_all_read(request.user)}).data)
