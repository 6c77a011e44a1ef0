"""`Idempotency-Key` on POSTs that create: the same key and body from the same user within
`IDEMPOTENCY_TTL` return the first answer, the same key with a different body is refused
(422), and concurrent duplicates make exactly one effect.

The first request claims the key by inserting a row (a unique constraint decides the race),
runs, and stores its answer. A duplicate that arrives while the first is still running
waits for that answer (up to `IDEMPOTENCY_WAIT`), then replays it. Only answers below 400
are kept: a refusal (an expired subscription, a full quiz) leaves the key free, so the
client may fix the cause and retry with the same key, as Stripe does.
"""

import hashlib
import json
import time
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .errors import ApiError
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string up to 255 characters (a UUID is ideal). Retrying with the same key "
        "and body within 24 hours returns the first answer instead of acting twice; the same key "
        "with a different body answers 422."
    ),
)


def _fingerprint(request) -> str:
    body = request.data
    canonical = json.dumps(body, sort_keys=True, default=str) if not isinstance(body, bytes) else body.hex()
    return hashlib.sha256(f"{request.method} {request.path}\n{canonical}".encode()).hexdigest()


def _claim(user, key: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    expired_before = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL)
    IdempotencyKey.objects.filter(user=user, key=key, created_at__lt=expired_before).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint), True
    except IntegrityError:
        return IdempotencyKey.objects.get(user=user, key=key), False


def _replay(record: IdempotencyKey) -> Response:
    response = Response(record.response_body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def _wait_for_answer(record: IdempotencyKey) -> IdempotencyKey | None:
    deadline = time.monotonic() + settings.IDEMPOTENCY_WAIT
    while time.monotonic() < deadline:
        try:
            record.refresh_from_db()
        except IdempotencyKey.DoesNotExist:
            return None  # the first request failed and freed the key
        if record.status_code is not None:
            return record
        time.sleep(0.05)
    return None


def idempotent(view_method):
    """Decorate a DRF view's `post` (or an action) that creates something."""

    @extend_schema(parameters=[IDEMPOTENCY_PARAMETER])
    @wraps(view_method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return view_method(view, request, *args, **kwargs)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise ApiError(
                status.HTTP_422_UNPROCESSABLE_ENTITY,
                "idempotency_key_invalid",
                f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters.",
            )
        fingerprint = _fingerprint(request)
        record, claimed = _claim(request.user, key, fingerprint)
        if not claimed:
            if record.fingerprint != fingerprint:
                raise ApiError(
                    status.HTTP_422_UNPROCESSABLE_ENTITY,
                    "idempotency_key_reused",
                    f"This {HEADER} was used with a different request. Use a new key for a new request.",
                )
            answered = record if record.status_code is not None else _wait_for_answer(record)
            if answered is None:
                raise ApiError(
                    status.HTTP_409_CONFLICT,
                    "idempotency_key_in_progress",
                    f"A request with this {HEADER} is still being processed. Retry in a moment.",
                )
            return _replay(answered)

        try:
            response = view_method(view, request, *args, **kwargs)
        except BaseException:
            record.delete()
            raise
        if response.status_code >= 400:
            record.delete()
            return response
        record.status_code = response.status_code
        record.response_body = json.loads(JSONRenderer().render(response.data or {}))
        record.save(update_fields=["status_code", "response_body"])
        return response

    return wrapper
