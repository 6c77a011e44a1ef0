"""Template context for error pages: the request id people quote to support."""

from .logging import NO_REQUEST, current_request_id


def request_id(request) -> dict:
    value = current_request_id()
    return {"request_id": "" if value == NO_REQUEST else value}
