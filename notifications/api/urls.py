from django.urls import path

from . import views

urlpatterns = [
    path("", views.NotificationList.as_view(), name="notifications"),
    path("unread-count/", views.UnreadCount.as_view(), name="notifications_unread_count"),
    path("read-all/", views.MarkAllRead.as_view(), name="notifications_read_all"),
    path("<id:notification_id>/read/", views.MarkRead.as_view(), name="notification_read"),
]
