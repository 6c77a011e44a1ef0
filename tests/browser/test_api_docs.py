"""/api/v1/docs/ is what an integrator starts from: Swagger UI must render in chromium
under the Content-Security-Policy production sends, from our own static files, with no
policy violation, no console error and no request leaving the site."""

from django.core.cache import cache

import pytest
from playwright.sync_api import expect

from .playwright_fixtures import browser_context
from .test_csp import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """The docs are rate limited per address like every API route: start from zero,
    whatever this address did before on the shared cache."""
    cache.clear()
    yield
    cache.clear()


def test_api_docs_render_swagger_ui_under_the_production_policy(chromium, live_server):
    with browser_context(chromium) as context:
        watch = Watch(context, live_server.url)
        page = context.new_page()
        page.set_default_timeout(20_000)
        schemas = []
        page.on("response", lambda r: schemas.append(r.status) if "/api/v1/schema/" in r.url else None)

        response = page.goto(live_server.url + "/api/v1/docs/")
        assert response.status == 200
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]

        # Swagger UI fetched the schema and drew it: the title and at least one operation.
        expect(page.locator(".swagger-ui .info .title")).to_be_visible()
        expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
        assert schemas and all(status == 200 for status in schemas)
        # An operation opens and shows its documented answers (the error envelope included).
        page.locator(".swagger-ui .opblock-summary").first.click()
        expect(page.locator(".swagger-ui .responses-wrapper").first).to_be_visible()
        expect(page.locator(".swagger-ui .response-col_status", has_text="429").first).to_be_visible()

        page.wait_for_timeout(300)  # a late violation report still arrives
        watch.assert_clean()
