"""The OpenAPI schema is a contract third-party tools can trust: drf-spectacular generates
it with zero warnings and it validates as OpenAPI 3.1 (`make check` runs the same
command in CI), and every operation documents the errors it can answer."""

import subprocess
import sys

import pytest
import yaml
from rest_framework.test import APIClient

from tests.operations.cluster_support import ROOT

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """`manage.py spectacular --validate --fail-on-warn` in a process of its own (its
    warnings are counted per process), as `make check` runs it."""
    out = tmp_path_factory.mktemp("schema") / "schema.yaml"
    run = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return run, (yaml.safe_load(out.read_text()) if out.exists() else None)


def test_schema_generates_without_a_warning_and_validates(generated):
    run, schema = generated
    assert run.returncode == 0, run.stderr
    assert "Warning" not in run.stderr and "Error" not in run.stderr, run.stderr
    assert schema["openapi"] == "3.1.0"


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield path, method, operation


def test_every_operation_documents_the_errors_it_can_answer(generated):
    _run, schema = generated
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        where = f"{method.upper()} {path}"
        assert "429" in responses, where
        if any(operation.get("security", [])):
            assert "401" in responses, where
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= set(responses), where
        if any(
            p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])
        ):
            # A key still being answered (409); a malformed or reused key (422), body or not.
            assert {"409", "422"} <= set(responses), where
        if "{" in path:
            assert "404" in responses, where
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                media = response["content"]["application/json"]["schema"]
                assert media == {"$ref": "#/components/schemas/ErrorEnvelope"} or "ErrorEnvelope" in str(
                    media
                ), (
                    where,
                    code,
                )


def test_every_operation_has_a_unique_id_and_a_success_answer(generated):
    """What the docs page and generated clients are made from."""
    _run, schema = generated
    ids = [operation["operationId"] for _path, _method, operation in _operations(schema)]
    assert len(ids) == len(set(ids))
    for path, method, operation in _operations(schema):
        assert any(code.startswith(("2", "3")) for code in operation["responses"]), f"{method.upper()} {path}"


@pytest.mark.django_db
def test_the_course_lists_422_for_an_unknown_filter_is_documented(generated):
    """Schemathesis found the course list answering an undocumented 422 for an unknown
    category; the schema now says so."""
    response = APIClient().get("/api/v1/courses/", {"category": "no-such-category"})
    assert response.status_code == 422
    _run, schema = generated
    assert "422" in schema["paths"]["/api/v1/courses/"]["get"]["responses"]
