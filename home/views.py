"""Error pages rendered in the site's own look; under `/api/` the API's JSON envelope."""

from django.shortcuts import render

from api import errors as api_errors


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return api_errors.not_found(request, exception)
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return api_errors.server_error(request)
    # A minimal context: whatever broke must not break the error page too.
    return render(request, "500.html", status=500)
