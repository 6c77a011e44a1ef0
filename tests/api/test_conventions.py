"""What every API operation shares: the error envelope (422 for validation), one
pagination shape with a Link header, rate limits with Retry-After, and Idempotency-Key
replays that make exactly one effect even under concurrent duplicates."""

from django.contrib.auth.models import Group
from django.core.cache import cache

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.races import run_at_once

pytestmark = pytest.mark.urls("tests.api.urls")


def assert_envelope(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert set(error) == {"code", "message", "details", "request_id"}
    assert error["request_id"] == response["X-Request-ID"]
    return error


@pytest.fixture
def api(learner):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(learner).access_token}")
    return client


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


def test_unknown_api_paths_answer_the_envelope_not_the_sites_page(db):
    client = APIClient()
    for path in ["/api/v1/no-such-thing/", "/api/v2/courses/", "/api/"]:
        assert_envelope(client.get(path), 404, "not_found")


def test_anonymous_caller_gets_401_envelope_with_a_bearer_challenge(db):
    response = APIClient().get("/api/v1/_test/groups/")
    assert_envelope(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_forged_token_is_refused(db, learner):
    token = str(RefreshToken.for_user(learner).access_token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token[:-4]}AAAA")
    assert_envelope(client.get("/api/v1/_test/groups/"), 401, "token_not_valid")


def test_validation_errors_answer_422_naming_each_field(api):
    error = assert_envelope(api.post("/api/v1/_test/groups/", {}, format="json"), 422, "validation_error")
    assert "name" in error["details"]["fields"]


def test_a_body_that_is_not_json_is_400(api):
    response = api.post("/api/v1/_test/groups/", "{not json", content_type="application/json")
    assert_envelope(response, 400, "parse_error")


def test_wrong_method_is_405_envelope(api):
    assert_envelope(api.delete("/api/v1/_test/groups/"), 405, "method_not_allowed")


def test_a_bug_is_a_500_envelope_without_a_traceback(db):
    client = APIClient(raise_request_exception=False)
    error = assert_envelope(client.get("/api/v1/_test/boom/"), 500, "server_error")
    assert "a bug" not in error["message"]


def test_lists_share_one_pagination_shape_with_a_link_header(api):
    Group.objects.bulk_create(Group(name=f"group {n:03}") for n in range(45))
    total = Group.objects.count()
    first = api.get("/api/v1/_test/groups/")
    body = first.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == total and len(body["results"]) == 20 and body["previous"] is None
    assert first["Link"] == f'<{body["next"]}>; rel="next"'
    second = api.get(body["next"]).json()
    assert second["results"][0]["id"] != body["results"][0]["id"]
    assert 'rel="prev"' in api.get(body["next"])["Link"]
    assert len(api.get("/api/v1/_test/groups/?page_size=1000").json()["results"]) == min(total, 100)


def test_a_page_past_the_end_or_absurd_is_404_envelope(api):
    assert_envelope(api.get("/api/v1/_test/groups/?page=999999999999999999999"), 404, "not_found")
    assert_envelope(api.get("/api/v1/_test/groups/?page=0"), 404, "not_found")


def test_rate_limit_answers_429_with_retry_after(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/min"},
    }
    client = APIClient()
    answers = [client.post("/api/v1/_test/strict/").status_code for _ in range(3)]
    assert answers[:3] == [204, 204, 204]
    refused = client.post("/api/v1/_test/strict/")
    error = assert_envelope(refused, 429, "throttled")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert error["details"]["retry_after"] == int(refused["Retry-After"])


def test_same_idempotency_key_and_body_replays_the_first_answer(api):
    first = api.post("/api/v1/_test/groups/", {"name": "cohort"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/_test/groups/", {"name": "cohort"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Group.objects.filter(name="cohort").count() == 1


def test_same_key_with_another_body_is_422(api):
    api.post("/api/v1/_test/groups/", {"name": "cohort"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = api.post("/api/v1/_test/groups/", {"name": "other"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert_envelope(response, 422, "idempotency_key_reused")
    assert not Group.objects.filter(name="other").exists()


def test_a_refused_request_leaves_its_key_free_for_the_corrected_retry(api):
    assert api.post("/api/v1/_test/groups/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 422
    # The same key with the same (still wrong) body runs again rather than replaying.
    assert api.post("/api/v1/_test/groups/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 422


def test_keys_belong_to_one_user(api, bronze):
    api.post("/api/v1/_test/groups/", {"name": "mine"}, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(bronze).access_token}")
    response = other.post(
        "/api/v1/_test/groups/", {"name": "theirs"}, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert response.status_code == 201 and response.json()["name"] == "theirs"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_concurrent_duplicates_make_exactly_one_effect(learner):
    token = str(RefreshToken.for_user(learner).access_token)

    def send(_index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        response = client.post(
            "/api/v1/_test/groups/", {"name": "once"}, format="json", HTTP_IDEMPOTENCY_KEY="race"
        )
        return response.status_code, response.json()

    answers = run_at_once(send, 5)

    assert Group.objects.filter(name="once").count() == 1
    assert [status for status, _ in answers] == [201] * 5
    assert len({body["id"] for _, body in answers}) == 1
