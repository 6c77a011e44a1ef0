"""The learner's in-site notifications: the list (newest first, unread highlighted) and
"mark all read". The unread badge in the header comes from `notification_tags`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from memberships.gating import mark_private

from .inbox import mark_all_read, unread_count
from .models import Notification

PAGE_SIZE = 20


@login_required
@require_GET
def notification_list(request):
    mark_private(request)
    notices = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"notices": page, "unread": unread_count(request.user)})


@login_required
@require_POST
def mark_all_notifications_read(request):
    count = mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")
