"""The header's unread badge: one COUNT query for a logged-in user, none for visitors."""

from django import template

from ..inbox import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_lectern_unread", None)
    if cached is None:
        cached = unread_count(user)
        if request is not None:
            request._lectern_unread = cached
    return cached
