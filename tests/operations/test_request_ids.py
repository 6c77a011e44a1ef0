"""Request ids: sent back as X-Request-ID, shown on the 404 and 500 pages, on every
JSON log line, and given to Sentry as a tag."""

import io
import json
import logging
import logging.config
import re
import uuid

from django.test import Client

import pytest

pytestmark = pytest.mark.django_db

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def test_every_response_carries_a_fresh_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert HEX32.match(first["X-Request-ID"]) and HEX32.match(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_valid_request_id_from_the_proxy_is_kept(client):
    given = uuid.uuid4().hex
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given


def test_a_forged_request_id_is_replaced_not_echoed(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="evil\r\nSet-Cookie: x=1")
    assert HEX32.match(response["X-Request-ID"])


def test_the_404_page_shows_the_request_id(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert f"<code>{request_id}</code>" in response.content.decode()


def boom(request):
    raise RuntimeError("kaboom")


urlpatterns = []  # filled below: this module doubles as a tiny URLconf with a failing view
handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"


def _urls():
    from django.urls import include, path

    return [path("boom/", boom), path("", include("config.urls"))]


@pytest.fixture
def failing_view(settings):
    global urlpatterns
    urlpatterns = _urls()
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def test_the_500_page_shows_the_request_id(failing_view):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert HEX32.match(request_id)
    html = response.content.decode()
    assert "Reference:" in html and request_id in html


def test_json_log_lines_carry_the_request_id(failing_view, settings):
    """Production logging (LOG_JSON): every line is JSON with the request id."""
    stream = io.StringIO()
    config = {
        **settings.LOGGING,
        "handlers": {
            "console": {**settings.LOGGING["handlers"]["console"], "formatter": "json", "stream": stream}
        },
    }
    config["handlers"]["console"]["class"] = "logging.StreamHandler"
    logging.config.dictConfig(config)
    try:
        client = Client(raise_request_exception=False)
        response = client.get("/boom/")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    errors = [line for line in lines if line.get("logger") == "django.request"]
    assert errors, stream.getvalue()
    assert errors[0]["request_id"] == response["X-Request-ID"]
    assert errors[0]["level"] == "ERROR"
    assert "kaboom" in errors[0].get("exc_info", "")


def test_log_lines_after_a_request_no_longer_carry_its_id(client):
    from operations.logging import RequestIdFilter

    client.get("/healthz")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "job ran", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"


def test_sentry_gets_the_request_id_as_a_tag():
    import sentry_sdk

    from operations.logging import SentryRequestIdIntegration

    with sentry_sdk.isolation_scope() as scope:
        SentryRequestIdIntegration().run(guid="abc123")
        assert scope._tags["request_id"] == "abc123"
