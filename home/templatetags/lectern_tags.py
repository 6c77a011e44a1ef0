"""Small presentation helpers for the site's templates: formatting, not decisions."""

from datetime import timedelta

from django import template
from django.core.paginator import Page as PaginatorPage
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(minutes) -> str:
    """Format a number of minutes as "3 h 20 min", "45 min" or "2 h"."""
    try:
        minutes = max(int(minutes or 0), 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


@register.filter
def elided_pages(page: PaginatorPage):
    """Page numbers around the current one, with the paginator's ellipsis for gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


@register.simple_tag
def page_url(number, query: str = "") -> str:
    """A pagination link that keeps the other parameters: "?<query>&page=N"."""
    query = (query or "").lstrip("?")
    return f"?{query}&page={number}" if query else f"?page={number}"


@register.filter
def nav_state(current_page, nav_page) -> str:
    """The aria-current value of a menu link: "page" on it, "true" below it, "" elsewhere."""
    current_path = getattr(current_page, "path", "")
    if not current_path or not nav_page:
        return ""
    if current_path == nav_page.path:
        return "page"
    return "true" if current_path.startswith(nav_page.path) else ""


@register.filter
def timedelta_words(delta) -> str:
    """A timedelta in words ("1 hour", "30 minutes"), for messages such as a lockout."""
    if not isinstance(delta, timedelta):
        return ""
    now = timezone.now()
    return timeuntil(now + delta, now)
