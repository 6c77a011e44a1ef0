"""Every operation of /api/v1/ keeps the contract its OpenAPI schema states, against the
real app (gunicorn on this run's database), anonymously and as a Gold learner.

Schemathesis generates requests from `/api/v1/schema/` (valid and invalid: its
examples, coverage and fuzzing phases, NUL bytes allowed) and checks each answer: never
a 5xx, a status code the operation documents, the documented media type, and a body
that matches the documented schema. On top of what it happens to draw, every operation
also gets the inputs that break APIs most often, each sent in every place the operation
reads input: NUL bytes, JSON nulls, a one-megabyte string and page numbers far past the
end (and past 64 bits).

The rate limits are raised through the API_RATE_* variables for the run, not switched
off: the throttles still answer every request.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import schemathesis
import yaml
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from learning.models import Enrollment
from tests.factories import build_course

from .live_app import running_app

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
CHECK_FUNCTIONS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Bounded so CI stays fast: schemathesis's coverage phase already walks each parameter's
# boundaries; the fuzzing phase adds this many drawn cases per operation.
MAX_EXAMPLES = 10
SEED = 17
HUGE = "x" * 1_000_000
# In a URL: as long as fits in the front server's request line (gunicorn answers 414
# itself above 4,094 bytes, nginx above 8 KB), so the app is what answers.
LONG = "x" * 3_000
HUGE_NUMBERS = (10**6, 2**63, 10**30)


@pytest.fixture
def seeded(tiers, catalog, gold):
    """Tiers, a free and a Gold course with lessons, and a Gold learner enrolled in both."""
    free = build_course(catalog, modules=1, lessons=2, title="Free SQL basics")
    paid = build_course(catalog, modules=2, lessons=2, title="Query plans", required_tier=tiers["gold"])
    for course in (free, paid):
        Enrollment.objects.create(user=gold, course=course)
    return gold


def _headers(who, gold) -> dict[str, str]:
    if who == "gold":
        return {"Authorization": f"Bearer {RefreshToken.for_user(gold).access_token}"}
    return {}


def _schemathesis_cli(base: str, headers: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).parent / "st"),
        "run",
        f"{base}/api/v1/schema/",
        "--url",
        base,
        "--checks",
        ",".join(CHECKS),
        "--phases",
        "examples,coverage,fuzzing",
        "--mode",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--generation-allow-x00",
        "true",
        "--generation-database",
        "none",
        # One worker: two threads parsing hypothesis's lambdas at once crashed the run
        # (SystemError: AST constructor recursion depth mismatch, Python 3.11).
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(tmp_path / "schemathesis.xml"),
        "--suppress-health-check",
        "all",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    # In the test's own folder: schemathesis keeps a cache of what it found in .schemathesis/.
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path)


def _hostile_cases(operation, raw: dict):
    """The inputs that break APIs most often, in each place `operation` reads input."""
    parameters = {(p.location, p.name): p for p in operation.iter_parameters()}
    path_values = {name: "1" for (location, name) in parameters if location == "path"}
    yield "as documented, ids of 1", {"path_parameters": path_values}
    for (location, name), _parameter in parameters.items():
        if location not in {"query", "path"}:
            continue
        for label, value in (("a NUL byte", "a\x00b"), ("a huge string", LONG), ("null", "null")):
            case = {"path_parameters": dict(path_values)}
            if location == "query":
                case["query"] = {name: value}
            else:
                case["path_parameters"][name] = value
            yield f"{label} in {location} parameter {name}", case
        if name == "page" or location == "path":
            for number in HUGE_NUMBERS:
                case = {"path_parameters": dict(path_values)}
                if location == "query":
                    case["query"] = {name: str(number)}
                else:
                    case["path_parameters"][name] = str(number)
                yield f"{number} in {location} parameter {name}", case
    if operation.body:
        media_type = operation.body[0].media_type
        schema = raw["paths"][operation.path][operation.method.lower()]["requestBody"]["content"][media_type]
        schema = schema.get("schema", {})
        if "$ref" in schema:  # "#/components/schemas/Name"
            schema = raw["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        properties = list(schema.get("properties", {}))
        for label, body in (
            ("a null body", None),
            ("a list body", []),
            ("every field null", dict.fromkeys(properties)),
            ("every field a NUL byte", dict.fromkeys(properties, "a\x00b")),
            ("every field a huge string", dict.fromkeys(properties, HUGE)),
            ("every field a huge number", dict.fromkeys(properties, 10**30)),
        ):
            yield label, {"path_parameters": dict(path_values), "body": body, "media_type": media_type}


def _short(error) -> str:
    """A failure's message without the megabyte it was sent."""
    return re.sub(r"(x{40})x+|((?:%00|\\x00|a\x00b){5})(?:%00|\\x00|a\x00b)+", r"\1\2…", str(error))[:1500]


def _hostile_failures(base: str, headers: dict[str, str]) -> list[str]:
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/schema/")
    raw = yaml.safe_load(requests.get(f"{base}/api/v1/schema/", timeout=30).content)
    failures = []
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        for label, fields in _hostile_cases(operation, raw):
            case = operation.Case(**fields)
            try:
                case.call_and_validate(
                    base_url=base, session=session, headers=headers, checks=CHECK_FUNCTIONS
                )
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - every failure, reported together
                failures.append(f"{operation.method.upper()} {operation.path} with {label}: {_short(error)}")
    return failures


@pytest.mark.parametrize("who", ["anonymous", "gold"])
def test_every_operation_keeps_its_contract(seeded, who, tmp_path):
    headers = _headers(who, seeded)
    with running_app(tmp_path) as (base, log):
        # The token really is accepted by the running app (a refused one answers 401 even
        # where visitors are welcome), else the Gold run would test nothing.
        assert requests.get(f"{base}/api/v1/courses/", headers=headers, timeout=30).status_code == 200
        run = _schemathesis_cli(base, headers, tmp_path)
        hostile = _hostile_failures(base, headers)
    report = (tmp_path / "schemathesis.xml").read_text() if (tmp_path / "schemathesis.xml").exists() else ""
    server_log = log.read_text()[-6000:]
    assert run.returncode == 0, f"{run.stdout[-12000:]}\n{run.stderr[-3000:]}\nserver log:\n{server_log}"
    assert "<testcase" in report  # it did run the operations
    assert not hostile, "\n".join(hostile)[:12000] + f"\nserver log:\n{server_log}"
    assert "Traceback" not in server_log, server_log
