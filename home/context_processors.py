"""Navigation links every page needs, found once per request."""

from django.utils.functional import SimpleLazyObject


def _top_level_pages(request):
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu().only("title", "url_path", "path", "depth"))


def navigation(request):
    return {"nav_pages": SimpleLazyObject(lambda: _top_level_pages(request))}
