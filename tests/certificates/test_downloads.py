"""The learner's downloads: their own PDF and credential; nobody else's."""

import pytest

pytestmark = pytest.mark.django_db


def _urls(certificate):
    return (
        f"/certificates/{certificate.number}/certificate.pdf",
        f"/certificates/{certificate.number}/credential.jwt",
    )


def test_owner_downloads_the_pdf_privately(client, certificate):
    client.force_login(certificate.user)
    response = client.get(_urls(certificate)[0])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{certificate.number}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_owner_credential_download_is_private(client, certificate):
    client.force_login(certificate.user)
    response = client.get(_urls(certificate)[1])
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_pdf_is_rendered_on_demand_if_the_job_has_not_run_yet(client, gold, gold_course):
    from certificates.issuing import issue_certificate

    certificate = issue_certificate(gold, gold_course)  # no commit: the job has not run
    assert not certificate.pdf
    client.force_login(gold)
    response = client.get(_urls(certificate)[0])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("which", [0, 1])
def test_another_learner_gets_404(client, certificate, silver, which):
    client.force_login(silver)
    response = client.get(_urls(certificate)[which])
    assert response.status_code == 404
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("which", [0, 1])
def test_the_course_instructor_gets_404_too(client, certificate, instructor, which):
    client.force_login(instructor)
    assert client.get(_urls(certificate)[which]).status_code == 404


@pytest.mark.parametrize("which", [0, 1])
def test_a_visitor_is_sent_to_log_in(client, certificate, which):
    response = client.get(_urls(certificate)[which])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("which", [0, 1])
def test_content_staff_may_download(client, certificate, editor, which):
    client.force_login(editor)
    assert client.get(_urls(certificate)[which]).status_code == 200


@pytest.mark.parametrize("number", ["LCT-2026-ZZZZZZ", "nonsense", "LCT-2026-0OOOOO"])
def test_unknown_or_forged_numbers_get_404(client, gold, number, db):
    client.force_login(gold)
    assert client.get(f"/certificates/{number}/certificate.pdf").status_code == 404
    assert client.get(f"/certificates/{number}/credential.jwt").status_code == 404


def test_dashboard_panel_lists_certificates_with_both_downloads(rf, certificate):
    from django.template.loader import render_to_string

    html = render_to_string("certificates/_dashboard_panel.html", {"user": certificate.user})
    assert "Practical Django" in html
    for url in _urls(certificate):
        assert url in html
    assert f"/certificates/verify/{certificate.number}/" in html


def test_dashboard_panel_says_none_yet(bronze):
    from django.template.loader import render_to_string

    html = render_to_string("certificates/_dashboard_panel.html", {"user": bronze})
    assert "None yet" in html


def test_a_deleted_accounts_certificate_has_no_downloads_even_for_staff(client, certificate, editor):
    number = certificate.number
    certificate.user.delete()
    client.force_login(editor)
    assert client.get(f"/certificates/{number}/certificate.pdf").status_code == 404
    assert client.get(f"/certificates/{number}/credential.jwt").status_code == 404
