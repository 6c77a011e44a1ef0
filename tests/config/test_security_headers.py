"""Security headers on public pages and in the admin: a CSP with a fresh nonce and no
inline scripts outside the admin, Permissions-Policy, COOP, Referrer-Policy; templates
keep to what that policy allows; the admin dashboard calls no third party."""

import re
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template import Context, Template

import pytest

from config.security import ContentSecurityPolicyMiddleware, permissions_policy_header

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    """`"a x y; b z"` -> `{"a": ["x", "y"], "b": ["z"]}`."""
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def public_policy(client, home):
    response = client.get("/")
    assert response.status_code == 200
    return directives(response["Content-Security-Policy"])


def test_public_page_allows_only_our_own_and_nonced_scripts(public_policy):
    script_src = public_policy["script-src"]
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert script_src[0] == "'self'"
    assert re.fullmatch(r"'nonce-[A-Za-z0-9+/=]{20,}'", script_src[1])
    assert public_policy["object-src"] == ["'none'"]
    assert public_policy["base-uri"] == ["'self'"]
    assert public_policy["frame-ancestors"] == ["'none'"]
    assert public_policy["default-src"] == ["'self'"]


def test_public_policy_lets_the_player_use_media_source_and_its_worker(public_policy):
    for directive in ("media-src", "worker-src", "img-src"):
        assert {"'self'", "blob:"} <= set(public_policy[directive]), directive
    assert "data:" in public_policy["img-src"]


def test_every_response_gets_its_own_nonce(client, home):
    nonces = {
        directives(client.get("/")["Content-Security-Policy"])["script-src"][1],
        directives(client.get("/")["Content-Security-Policy"])["script-src"][1],
        directives(client.get("/healthz")["Content-Security-Policy"])["script-src"][1],
    }
    assert len(nonces) == 3


def test_the_nonce_in_the_header_is_the_one_templates_get(rf, home):
    request = rf.get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda request: None)
    middleware.process_request(request)
    rendered = Template('<script nonce="{{ request.csp_nonce }}"></script>').render(
        Context({"request": request})
    )
    response = middleware.process_response(request, HttpResponse(rendered))
    nonce = directives(response["Content-Security-Policy"])["script-src"][1]
    assert f'nonce="{nonce[7:-1]}"' in rendered


def test_wagtails_preview_of_a_public_page_leaves_the_policy_to_the_admin_view(rf):
    """The preview panel frames an admin view; a public policy (frame-ancestors 'none')
    set on Wagtail's made-up request for the page would stop it from showing."""
    request = rf.get("/courses/some-lesson/")
    request.is_dummy = True
    middleware = ContentSecurityPolicyMiddleware(lambda request: None)
    middleware.process_request(request)
    response = middleware.process_response(request, HttpResponse("preview"))
    assert "Content-Security-Policy" not in response


def test_admin_gets_its_own_allowances_and_public_pages_never_do(client, admin_user, home):
    client.force_login(admin_user)
    admin = directives(client.get("/admin/")["Content-Security-Policy"])
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]  # no nonce: it would void unsafe-inline
    assert admin["frame-ancestors"] == ["'self'"]  # the preview panel frames admin views
    assert admin["object-src"] == ["'none'"]
    for path in ("/", "/accounts/login/", "/search/", "/administrator/", "/django-admin/login/"):
        public = directives(client.get(path)["Content-Security-Policy"])
        assert "'unsafe-inline'" not in public["script-src"], path


def test_permissions_coop_referrer_and_nosniff_headers(client, home):
    response = client.get("/")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    features = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    assert features["camera"] == features["microphone"] == features["geolocation"] == "()"
    assert features["fullscreen"] == "(self)"  # the player's fullscreen button


def test_permissions_policy_header_format():
    assert permissions_policy_header({"camera": [], "fullscreen": ["self"]}) == "camera=(), fullscreen=(self)"


def test_admin_dashboard_does_not_ask_wagtail_org_for_releases(client, admin_user, home):
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "w-upgrade" not in html  # the panel whose controller fetches releases.wagtail.org
    assert "releases.wagtail.org" not in html


# Templates: what the public policy refuses must not be in them.
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _templates():
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            if "notifications/email" not in path.as_posix():  # mail, never served as a page
                yield path


def test_templates_have_no_inline_handlers_or_javascript_urls():
    offenders = []
    for path in _templates():
        text = path.read_text()
        if INLINE_HANDLER.search(text) or JAVASCRIPT_URL.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_every_inline_script_in_templates_carries_the_nonce():
    offenders = []
    for path in _templates():
        for attributes in SCRIPT_TAG.findall(path.read_text()):
            is_data = re.search(r"""type\s*=\s*["']application/(ld\+)?json""", attributes)
            if "src=" not in attributes and not is_data and "request.csp_nonce" not in attributes:
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders
