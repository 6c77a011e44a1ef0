"""One error envelope for every non-2xx answer under `/api/`:

    {"error": {"code": "...", "message": "...", "details": {...}, "request_id": "..."}}

DRF's own errors come through `exception_handler` (set as `EXCEPTION_HANDLER`); Django's
404 for an unknown `/api/` path and a 500 from anywhere under `/api/` come through
`not_found` and `server_error` (config/urls.py sends `/api/` paths to them). Validation
errors answer 422 (the request was understood and its content refused); a body that is
not JSON at all stays 400; a body larger than `DATA_UPLOAD_MAX_MEMORY_SIZE` (Django
refuses to read it) answers 413 `request_too_large`.

A service refusal carries its own code: raise `ApiError(status, code, message)` or a DRF
exception with `code=` (`PermissionDenied("…", code="tier_required")`).
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from django_guid import get_guid
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

UNPROCESSABLE = status.HTTP_422_UNPROCESSABLE_ENTITY


class ApiError(exceptions.APIException):
    """A refusal with its own status, code, message and details, for services' callers."""

    def __init__(self, status_code: int, code: str, message: str, details: dict | None = None):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.details = details or {}


def envelope(code: str, message: str, details=None) -> dict:
    return {
        "error": {"code": code, "message": str(message), "details": details or {}, "request_id": get_guid()}
    }


def _first_code(detail) -> str:
    """DRF keeps a code on every ErrorDetail; the first one names a single-problem error."""
    if isinstance(detail, list) and detail:
        return _first_code(detail[0])
    if isinstance(detail, dict) and detail:
        return _first_code(next(iter(detail.values())))
    return getattr(detail, "code", None) or "error"


def _as_details(detail):
    """ErrorDetail trees to plain lists and dicts of messages."""
    if isinstance(detail, dict):
        return {str(key): _as_details(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_as_details(item) for item in detail]
    return str(detail)


def _validation_response(exc: exceptions.ValidationError) -> tuple[int, dict]:
    detail = exc.detail
    if isinstance(detail, dict):
        details = {"fields": _as_details(detail)}
        non_field = detail.get("non_field_errors")
        message = str(non_field[0]) if non_field else "Some fields are not valid."
    else:
        details = {"fields": {"non_field_errors": _as_details(detail)}}
        message = str(detail[0]) if detail else "The request is not valid."
    return UNPROCESSABLE, envelope("validation_error", message, details)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every refusal and failure as the envelope."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        # Raised when the view first reads `request.data`: the client's mistake, not ours.
        exc = ApiError(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            "request_too_large",
            _("The request body is too large."),
            {"max_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        )

    if isinstance(exc, ApiError):
        status_code, body = exc.status_code, envelope(exc.error_code, exc.detail, exc.details)
    elif isinstance(exc, exceptions.ValidationError):
        status_code, body = _validation_response(exc)
    elif isinstance(exc, exceptions.APIException):
        status_code = exc.status_code
        detail = exc.detail
        code = (
            getattr(detail, "code", None) if isinstance(detail, str) else _first_code(detail)
        ) or exc.default_code
        details = (
            {"retry_after": _retry_after(exc)} if isinstance(exc, exceptions.Throttled) and exc.wait else {}
        )
        body = envelope(code, _message(detail), details)
    else:
        # Anything else is our bug: log it (Sentry sees it too) and answer a plain 500.
        logger.exception("API view failed", exc_info=exc)
        set_rollback()
        return Response(
            envelope("server_error", "Something went wrong on our side. Try again later."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    set_rollback()
    response = Response(body, status=status_code)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        response["Retry-After"] = str(_retry_after(exc))
    return response


def _retry_after(exc: exceptions.Throttled) -> int:
    return max(1, int(exc.wait + 0.999))


def _message(detail) -> str:
    if isinstance(detail, dict):
        return _message(next(iter(detail.values()))) if detail else ""
    if isinstance(detail, list):
        return _message(detail[0]) if detail else ""
    return str(detail)


@csrf_exempt
def not_found(request, exception=None):
    """Django's 404 for a path under /api/ that no route matches, whatever the method.
    Exempt from the CSRF check: it reads nothing and changes nothing, and a POST to a
    mistyped path must get this envelope, not the CSRF failure page."""
    return JsonResponse(envelope("not_found", "Not found."), status=404)


def server_error(request):
    return JsonResponse(
        envelope("server_error", "Something went wrong on our side. Try again later."), status=500
    )
