"""`<id:…>` in API routes: an object's numeric id, at most 18 digits.

Django's `<int:…>` takes any number of digits, and a 19-digit or longer one reached the
database: SQLite cannot bind an integer past 2**63 - 1 (OverflowError, a 500). Ids are
far below 10**18, so a longer number names nothing: with this converter the route does
not match and the caller gets the API's 404 envelope."""

from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    regex = "[0-9]{1,18}"
