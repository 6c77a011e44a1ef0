"""No gated body, quiz answer, playlist or key leaves through the catalog API: every
gated page type × every caller × every door of `tests/api/leaks.py`.

And, beyond the catalog's doors, every operation of the OpenAPI schema (POSTs too:
playback, ebook download links …) scanned for every tier's gated things (below).
"""

from django.contrib.auth.models import AnonymousUser

import pytest
import yaml
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from memberships import policy

from ..factories import CoursePageFactory, EbookPageFactory, LessonPageFactory, ModulePageFactory
from ..media_pipeline.playback_support import make_video
from .catalog import client_for
from .leaks import CALLERS, CASES, DOORS, check

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(request, tiers, bronze, silver, gold, lapsed, other_instructor, catalog):
    """The callers by name; `other_instructor` teaches a course of their own."""
    own = CoursePageFactory(parent=catalog, title="Their own course")
    own.instructors.add(other_instructor)
    own.save_revision().publish()
    return {
        "anonymous": None,
        "bronze": bronze,
        "silver": silver,
        "gold": gold,
        "lapsed": lapsed,
        "other_instructor": other_instructor,
    }


@pytest.mark.parametrize("case_name", list(CASES))
def test_no_gated_content_leaks_through_any_door_to_any_caller(case_name, cast, catalog, tiers):
    case = CASES[case_name](catalog, tiers)
    checked = 0
    for caller in CALLERS:
        client = client_for(cast[caller])
        for door in DOORS:
            url = door.url(case)
            if url is None:
                continue
            check(door, case, caller, client.get(url))
            checked += 1
    assert checked >= len(CALLERS) * 2


# ---------------------------------------------------------------------------- every endpoint
# No API endpoint hands a gated thing to a caller the policy refuses.
#
# Every operation the OpenAPI schema lists (so an endpoint added later is covered without
# touching this test) is called by every kind of caller (anonymous, Bronze, Silver, Gold,
# a lapsed Gold member) with the ids of every gated thing of every tier (a course, a video
# lesson, a text lesson, an ebook) substituted in its path and body. For each thing the
# policy refuses the caller (`memberships.policy`, the one the site obeys), no answer
# may contain that thing's body (a sentence only its body holds), and no answer about
# it may contain a playlist, a key URL, a signed file URL or an ebook download link.
#
# The same scan also sees what the policy allows (a Gold member reads the Gold lesson's
# body and gets its playlist), so it would notice a leak.

TIERS = ["bronze", "silver", "gold"]
# What an answer about a refused thing must never contain.
DELIVERY = ("m3u8", "/video/key/", "/video/f/", "/download/?token=", "download?token=")
DEVICE = "leak-scan-device"


def marker(name: str) -> str:
    return f"Only-{name}-readers-see-this"


@pytest.fixture
def gated(tiers, catalog, ebooks):
    """For each tier: a course, a video lesson and a text lesson in it, and an ebook."""
    video = make_video(heights=(360,), captions=False)
    things = {}
    for slug in TIERS:
        course = CoursePageFactory(
            parent=catalog,
            title=f"{slug} course",
            required_tier=tiers[slug],
            body=[("paragraph", f"<p>{marker(f'{slug}-course')}</p>")],
        )
        module = ModulePageFactory(parent=course)
        things[f"{slug}-course"] = ("course", course)
        things[f"{slug}-video-lesson"] = (
            "lesson",
            LessonPageFactory(
                parent=module, video=video, body=[("paragraph", f"<p>{marker(f'{slug}-video-lesson')}</p>")]
            ),
        )
        things[f"{slug}-text-lesson"] = (
            "lesson",
            LessonPageFactory(parent=module, body=[("paragraph", f"<p>{marker(f'{slug}-text-lesson')}</p>")]),
        )
        # The ebook's page is a public teaser: what it gates is the file.
        things[f"{slug}-ebook"] = (
            "ebook",
            EbookPageFactory(parent=ebooks, title=f"{slug} ebook", required_tier=tiers[slug]),
        )
    # A free course whose lessons open in order: the second is locked for every learner.
    sequential = CoursePageFactory(parent=catalog, title="Step by step", is_sequential=True)
    steps = ModulePageFactory(parent=sequential)
    for name in ("step-one", "step-two"):
        things[name] = (
            "lesson",
            LessonPageFactory(parent=steps, video=video, body=[("paragraph", f"<p>{marker(name)}</p>")]),
        )
    return things


def _refused(user, kind, page) -> bool:
    if kind == "ebook":
        return not policy.can_download(user, page)
    if kind == "lesson":
        return not (policy.can_view(user, page) and policy.can_play(user, page))
    return not policy.can_view(user, page)


def _client(user) -> APIClient:
    client = APIClient()
    if user.is_authenticated:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def _operations():
    """(method, path template, path parameter names, body property names) for every GET
    and every POST."""
    schema = yaml.safe_load(APIClient().get("/api/v1/schema/").content)
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in {"get", "post"}:
                continue
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            body = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            if "$ref" in body:
                body = components[body["$ref"].rsplit("/", 1)[1]]
            yield method, path, names, set(body.get("properties", {}))


def _names(parameter: str) -> str | None:
    """The kind of gated thing a parameter names, if any."""
    return next((kind for kind in ("course", "lesson", "ebook") if kind in parameter), None)


def _requests(things):
    """Every operation × every thing it can be asked about: (method, url, body, thing).
    A parameter that names no gated thing (an order's or a notification's id) gets one
    made-up value: such an answer can only leak through what it lists, which is scanned."""
    for method, template, names, properties in _operations():
        kinds = {_names(name) for name in names} - {None}
        if method == "post":
            kinds = kinds or {kind for kind in ("course", "lesson", "ebook") if kind in properties}
        if not kinds:
            if method == "get":  # it names no gated thing: once, its answer scanned all the same
                yield method, _fill(template, names, None), None, None
            continue  # a POST that cannot name a gated thing (sign-in, checkout …)
        for name, (kind, page) in things.items():
            if kind in kinds:
                body = {"device": DEVICE, "refresh": False, kind: page.pk} if method == "post" else None
                yield method, _fill(template, names, page), body, name


def _fill(template: str, names: list[str], page) -> str:
    for parameter in names:
        template = template.replace("{" + parameter + "}", str(page.pk if page and _names(parameter) else 1))
    return template


def test_no_endpoint_returns_a_gated_body_playlist_key_or_download_link_to_a_refused_caller(
    gated, bronze, silver, gold, lapsed
):
    users = {"anonymous": AnonymousUser(), "bronze": bronze, "silver": silver, "gold": gold, "lapsed": lapsed}
    refused = {
        who: {name for name, (kind, page) in gated.items() if _refused(user, kind, page)}
        for who, user in users.items()
    }
    # The matrix is not empty: Gold opens everything but the locked step, visitors no Gold thing.
    assert refused["gold"] == {"step-two"}
    assert {name for name in gated if name.startswith(("silver", "gold"))} <= refused["anonymous"]
    assert {name for name in gated if name.startswith("gold")} <= refused["lapsed"]
    requests = list(_requests(gated))
    leaks, seen_by_gold = [], ""
    for who, user in users.items():
        client = _client(user)
        for method, url, body, about in requests:
            if method == "post":
                response = client.post(url, body, format="json")
            else:
                response = client.get(url)
            text = response.content.decode(errors="replace")
            where = f"{who}: {method.upper()} {url} ({response.status_code})"
            for name in refused[who]:
                if marker(name) in text:
                    leaks.append(f"{where} returned the body of {name}")
            if about in refused[who] and any(sign in text for sign in DELIVERY):
                leaks.append(f"{where} returned a playlist, key or download link for {about}")
            if who == "gold":
                seen_by_gold += text
    assert not leaks, "\n".join(leaks)
    # The scan sees what is allowed: Gold reads every body and gets playlists and links.
    for slug in TIERS:
        assert marker(f"{slug}-course") in seen_by_gold
        assert marker(f"{slug}-video-lesson") in seen_by_gold
        assert marker(f"{slug}-text-lesson") in seen_by_gold
    paths = {url for _method, url, _body, _about in requests}
    if any(url.endswith("/playback/") for url in paths):
        assert "m3u8" in seen_by_gold
    if any(url.endswith("/download-link/") for url in paths):
        assert "token=" in seen_by_gold  # an ebook download link
