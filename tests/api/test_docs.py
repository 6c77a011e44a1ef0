"""The schema and its docs are public, self-hosted, and describe /api/v1/ only."""

import re

import pytest
import yaml
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_docs_page_loads_swagger_ui_from_our_own_static_files():
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts and all(src.startswith("/") and not src.startswith("//") for src in scripts)
    assert any("swagger-ui-bundle" in src for src in scripts)
    assert "<script>" not in html  # no inline script: the set-up script has a URL of its own


@pytest.mark.django_db
def test_schema_is_openapi_3_1_of_api_v1_only():
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"] == "3.1.0"
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert "ErrorEnvelope" in schema["components"]["schemas"]
