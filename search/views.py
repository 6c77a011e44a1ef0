"""Site search over every live, public page, through Wagtail's search backend."""

from django.core.paginator import Paginator
from django.shortcuts import render

from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from memberships import policy

from .query import MAX_QUERY_LENGTH, clean_display, search_terms

__all__ = ["MAX_QUERY_LENGTH", "search"]

SEARCH_PAGE_SIZE = 10


def search(request):
    query = clean_display(request.GET.get("q", ""))
    terms = search_terms(query)
    results = Page.objects.none()
    if terms:
        results = Page.objects.live().public().not_type(_root_types()).specific().search(terms)
        Query.get(terms).add_hit()
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    for result in page.object_list:
        # Results show titles and summaries only; the lock tells members-only apart.
        result.is_locked = not policy.can_view(request.user, result)
    return render(request, "pages/search_results.html", {"search_query": query, "results": page})


def _root_types():
    from home.models import HomePage

    return (HomePage,)
