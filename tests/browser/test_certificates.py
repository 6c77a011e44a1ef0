"""What only a browser proves for certificates: a visitor checks a number through the
form, an admin revokes it through the admin, and the same page then says so.

Set CERTIFICATE_SHOTS=<folder> to keep screenshots of each state.
"""

import os
import re
from pathlib import Path

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from certificates.issuing import issue_certificate
from learning.models import Enrollment

from ..conftest import PASSWORD
from ..factories import build_course
from .playwright_fixtures import browser_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("CERTIFICATE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def issued(catalog, tiers, gold, instructor, home):
    course = build_course(
        catalog, modules=1, lessons=1, title="Practical Django", required_tier=tiers["gold"]
    )
    course.instructors.add(instructor)
    course.save()
    Enrollment.objects.create(user=gold, course=course, status="completed", completed_at=timezone.now())
    return issue_certificate(gold, course)


def test_visitor_verifies_then_admin_revokes_and_the_page_says_revoked(live_server, page, issued, admin_user):
    page.goto(live_server.url + "/certificates/verify/")
    page.get_by_label("Certificate number").fill("LCT-2026-NOPE")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That is not a certificate number")).to_be_visible()
    _shot(page, "verify-bad-input")

    page.get_by_label("Certificate number").fill(f" {issued.number.lower()} ")
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(rf"/certificates/verify/{issued.number}/$"))
    expect(page.get_by_text("Valid certificate")).to_be_visible()
    expect(page.get_by_text("Giang Gold")).to_be_visible()
    _shot(page, "verify-valid")

    with browser_context(page.context.browser) as admin_context:
        admin = admin_context.new_page()
        admin.goto(live_server.url + "/admin/certificates/")
        admin.get_by_label(re.compile("email", re.I)).fill(admin_user.email)
        admin.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
        admin.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
        expect(admin.get_by_role("link", name=issued.number)).to_be_visible()
        _shot(admin, "admin-index")
        admin.get_by_role("link", name="Revoke").click()
        admin.get_by_label("Reason").fill("Final project was copied")
        admin.get_by_role("button", name="Revoke certificate").click()
        expect(admin.get_by_text(f"Certificate {issued.number} revoked.")).to_be_visible()

    page.reload()
    expect(page.get_by_text(re.compile(r"Revoked on \d+ \w+ \d{4}"))).to_be_visible()
    expect(page.get_by_text("Final project was copied")).to_be_visible()
    expect(page.get_by_text("Valid certificate")).to_have_count(0)
    _shot(page, "verify-revoked")

    page.goto(live_server.url + "/certificates/verify/LCT-2026-ZZZZZZ/")
    expect(page.get_by_role("heading", name="Certificate not found")).to_be_visible()
    _shot(page, "verify-not-found")


def test_learner_finds_the_certificate_on_my_learning_and_downloads_both_files(
    live_server, page, issued, gold
):
    page.goto(live_server.url + "/accounts/login/?next=/learning/")
    page.get_by_label(re.compile("email", re.I)).fill(gold.email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/learning/$"))
    panel = page.get_by_role("region", name="Certificates")
    expect(panel.get_by_text(issued.number)).to_be_visible()
    _shot(page, "dashboard")

    with page.expect_download() as pdf:
        panel.get_by_role("link", name=re.compile("^PDF")).click()
    assert pdf.value.suggested_filename == f"{issued.number}.pdf"
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")

    with page.expect_download() as credential:
        panel.get_by_role("link", name=re.compile("^Credential")).click()
    assert credential.value.suggested_filename == f"{issued.number}.jwt"
    assert Path(credential.value.path()).read_text().count(".") == 2  # header.payload.signature
