"""What the OpenAPI schema says about errors, so every operation documents the answers it
can give without each view repeating them.

`ErrorEnvelope` is the one error body. `add_error_responses` (a drf-spectacular
postprocessing hook) adds to every operation the errors the shared machinery can give:
429 everywhere (throttling), 401 where a token may be sent, 404 where the path names an
object or a page is chosen, 400, 413 and 422 where a body is read, 409 and 422 where an
`Idempotency-Key` is read (a key still being answered; a malformed or reused key). A view documents its own
refusals (403, 409 …) with `error_responses(403, 409)` in its `extend_schema`.
"""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from api.idempotency import HEADER as IDEMPOTENCY_HEADER

DESCRIPTIONS = {
    400: "The body is not well-formed (not JSON, or not the media type named).",
    401: "No valid access token: missing, expired, forged or revoked.",
    403: "Signed in, but not allowed: the error code says why.",
    404: "No such object, or not one of yours.",
    405: "The method is not allowed here.",
    409: "Refused in the object's current state: the error code says why.",
    413: "The body is larger than the server reads (`details.max_bytes`).",
    422: "The content was understood and refused: `details.fields` names each problem.",
    429: "Too many requests: wait the seconds in `Retry-After`.",
    503: "A service we depend on did not answer; nothing was done. Try again later.",
}

ErrorEnvelope = inline_serializer(
    name="ErrorEnvelope",
    fields={
        "error": inline_serializer(
            name="Error",
            fields={
                "code": serializers.CharField(
                    help_text="Stable, machine-readable: `not_found`, `tier_required` …"
                ),
                "message": serializers.CharField(help_text="For people; may change."),
                "details": serializers.DictField(
                    help_text="Extra facts, e.g. `fields` for validation errors."
                ),
                "request_id": serializers.CharField(
                    allow_null=True, help_text="Quote it when asking for help."
                ),
            },
        )
    },
)


def error_responses(*codes: int) -> dict:
    """`{403: OpenApiResponse(ErrorEnvelope, …), …}` for an `extend_schema(responses=…)`."""
    return {code: OpenApiResponse(ErrorEnvelope, description=DESCRIPTIONS[code]) for code in codes}


_ENVELOPE_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
# The same body as `ErrorEnvelope`, for operations whose errors only the hook documents.
ERROR_ENVELOPE_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details", "request_id"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": {}},
                "request_id": {"type": ["string", "null"]},
            },
        }
    },
}


def _error_response(code: int) -> dict:
    return {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": _ENVELOPE_REF}}}


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: the shared errors on every operation."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = {429}
            if any(scheme for scheme in operation.get("security", []) if scheme):
                codes.add(401)
            parameters = operation.get("parameters", [])
            if "{" in path or any(p.get("name") == "page" for p in parameters):
                codes.add(404)
            if "requestBody" in operation:
                codes |= {400, 413, 422}
            if any(p.get("in") == "header" and p.get("name") == IDEMPOTENCY_HEADER for p in parameters):
                codes |= {409, 422}
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(str(code), _error_response(code))
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorEnvelope", ERROR_ENVELOPE_SCHEMA)
    return result


def only_api_v1(endpoints, **kwargs):
    """PREPROCESSING_HOOKS entry: the schema describes /api/v1/ only (Wagtail's admin
    has DRF views of its own, which are not ours to publish)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class AccessTokenScheme(SimpleJWTScheme):
    """Our access-token authentication documents itself as simplejwt's bearer scheme."""

    target_class = "api.authentication.AccessTokenAuthentication"
    name = "accessToken"
