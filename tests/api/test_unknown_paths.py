"""A request to a path under /api/ that no route matches gets the API's 404 envelope
whatever its method, never the site's HTML: a POST used to meet Django's CSRF check
first and answer an HTML 403 page (schemathesis found it: `POST
/api/v1/lessons/null,null/completion/`, a path whose id is not a number)."""

from django.test import Client

import pytest

from .clients import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/api/v1/lessons/null,null/completion/", "/api/v1/no-such-thing/", "/api/v2/courses/"]
)
def test_unmatched_api_paths_answer_the_404_envelope_for_every_method(method, path):
    client = Client(enforce_csrf_checks=True)  # as a real client: no CSRF cookie, no token
    body = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
    response = getattr(client, method)(path, **body)
    assert response.status_code == 404, response.content[:200]
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("number", ["9223372036854775808", "1000000000000000000000000000000"])
@pytest.mark.parametrize(
    "route",
    [
        "/api/v1/courses/{}/",
        "/api/v1/lessons/{}/",
        "/api/v1/lessons/{}/playback/",
        "/api/v1/ebooks/{}/download-link/",
        "/api/v1/live/sessions/{}/join/",
        "/api/v1/notifications/{}/read/",
    ],
)
def test_an_id_too_large_for_the_database_is_404_not_a_server_error(route, number):
    """Schemathesis found these answering 500: SQLite cannot bind an integer past 2**63 - 1."""
    response = Client().get(route.format(number))  # 404, not 405 nor 500: no route takes it
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("number", [2**63, 10**30])
@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("/api/v1/me/enrollments/", {}, "course"),
        ("/api/v1/quizzes/attempts/", {"quiz": "q"}, "lesson"),
        ("/api/v1/memberships/checkout/", {"provider": "bank_transfer"}, "course"),
    ],
)
def test_an_id_too_large_for_the_database_in_a_body_is_422_not_a_server_error(
    route, body, field, number, gold
):
    """Schemathesis found these answering 500 for `{"course": 10**30}`: the id reached the
    database (OverflowError on SQLite, DataError on PostgreSQL)."""
    response = client_for(gold).post(route, {**body, field: number}, format="json")
    assert response.status_code == 422, response.content[:300]
    assert field in response.json()["error"]["details"]["fields"]


def test_enrolling_in_no_such_course_is_the_documented_404(gold):
    response = client_for(gold).post("/api/v1/me/enrollments/", {"course": 10**17}, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/api/v1/memberships/checkout/", {"tier": "a\x00b", "provider": "bank_transfer"}),
        ("/api/v1/memberships/coupons/check/", {"code": "SAVE", "tier": "a\x00b"}),
    ],
)
def test_a_nul_byte_in_a_slug_is_422_not_a_server_error(route, body, gold):
    """Schemathesis found these answering 500 on PostgreSQL, which refuses a NUL byte in a
    query parameter."""
    response = client_for(gold).post(route, body, format="json")
    assert response.status_code == 422, response.content[:300]
    assert "tier" in response.json()["error"]["details"]["fields"]


def test_a_nul_byte_in_an_order_reference_is_404(gold):
    response = client_for(gold).get("/api/v1/memberships/orders/a%00b/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
