"""Times in API answers are UTC.

DRF writes a datetime in the current time zone (the site's TIME_ZONE) and then applies
DATETIME_FORMAT, whose `Z` promises UTC; so under `/api/` the current time zone is UTC.
The site's pages keep showing local times."""

from datetime import UTC

from django.utils import timezone


class UtcTimesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        with timezone.override(UTC):
            return self.get_response(request)
