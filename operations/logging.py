"""Request ids on every log line, on error pages and in Sentry.

django-guid's middleware puts the request's id (the proxy's X-Request-ID when it is a
valid UUID, else a fresh one) in a context variable; these small pieces read it. This
module is imported by settings, so it must not import models.
"""

import logging

import pythonjsonlogger.json
from django_guid.context import guid
from django_guid.integrations import Integration

NO_REQUEST = "-"


def current_request_id() -> str:
    """The id of the request being handled, or "-" outside a request (jobs, commands)."""
    return guid.get() or NO_REQUEST


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record so both formatters can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class _EnsureRequestId:
    """Formatters that print `request_id` even for a handler someone adds without the
    filter, instead of failing to format the line."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return super().format(record)


class PlainFormatter(_EnsureRequestId, logging.Formatter):
    """Development: one readable line, request id in brackets."""


class JsonFormatter(_EnsureRequestId, pythonjsonlogger.json.JsonFormatter):
    """Production: one JSON object per line (python-json-logger) with request_id."""


class SentryRequestIdIntegration(Integration):
    """Tags each Sentry event with the request id, so a user's "Reference: …" finds it.

    django-guid's own Sentry integration sets its tag on a scope it leaves at once
    (sentry-sdk ≥ 2.12), so the tag never reaches an event; this sets it on the
    request's isolation scope, which sentry's Django integration forks per request.
    """

    identifier = "LecternSentryRequestId"

    def run(self, guid: str, **kwargs) -> None:
        import sentry_sdk

        sentry_sdk.get_isolation_scope().set_tag("request_id", guid)
