"""Error pages rendered in the site's own look."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # A minimal context: whatever broke must not break the error page too.
    return render(request, "500.html", status=500)
