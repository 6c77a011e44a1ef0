"""The Certificates admin: staff revoke with a reason (audited); instructors see only
their own courses' certificates and cannot revoke."""

from django.contrib.auth.models import Permission

import pytest

from certificates.models import Certificate
from tests.factories import build_course

pytestmark = pytest.mark.django_db

INDEX = "/admin/certificates/"


@pytest.fixture
def other_certificate(catalog, tiers, other_instructor, complete_course):
    from tests.conftest import _subscribed

    course = build_course(catalog, modules=1, lessons=1, title="Other Course", required_tier=tiers["gold"])
    course.instructors.add(other_instructor)
    course.save()
    learner = _subscribed("other.gold@example.test", "Olga Other", tiers["gold"])
    complete_course(learner, course)
    return Certificate.objects.get(user=learner)


@pytest.fixture
def instructor_in_admin(instructor):
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    instructor.groups.get(name="Instructors").permissions.add(access)
    return instructor


def test_admin_lists_certificates_with_a_revoke_action(client, admin_user, certificate):
    client.force_login(admin_user)
    html = client.get(INDEX).content.decode()
    assert certificate.number in html
    assert f"/admin/certificates/revoke/{certificate.pk}/" in html


def test_admin_revokes_with_a_reason_and_the_audit_trail_is_kept(client, admin_user, certificate):
    client.force_login(admin_user)
    url = f"/admin/certificates/revoke/{certificate.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Identity fraud confirmed"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoked_by == admin_user
    assert certificate.revoked_reason == "Identity fraud confirmed"
    html = client.get(INDEX).content.decode()
    assert "Revoked" in html
    assert f"/admin/certificates/revoke/{certificate.pk}/" not in html


def test_revoking_without_a_reason_is_refused_and_changes_nothing(client, admin_user, certificate):
    client.force_login(admin_user)
    response = client.post(f"/admin/certificates/revoke/{certificate.pk}/", {"reason": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_instructor_sees_only_their_own_courses_certificates(
    client, instructor_in_admin, certificate, other_certificate
):
    client.force_login(instructor_in_admin)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.number in html
    assert other_certificate.number not in html
    assert client.get(f"/admin/certificates/inspect/{certificate.pk}/").status_code == 200
    assert client.get(f"/admin/certificates/inspect/{other_certificate.pk}/").status_code == 404


def test_instructor_cannot_revoke(client, instructor_in_admin, certificate):
    client.force_login(instructor_in_admin)
    assert f"/admin/certificates/revoke/{certificate.pk}/" not in client.get(INDEX).content.decode()
    response = client.post(f"/admin/certificates/revoke/{certificate.pk}/", {"reason": "Because I can"})
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_staff_granted_the_revoke_permission_may_revoke(client, editor, certificate):
    editor.user_permissions.add(Permission.objects.get(codename="revoke_certificate"))
    client.force_login(editor)
    response = client.post(f"/admin/certificates/revoke/{certificate.pk}/", {"reason": "Duplicate account"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_by == editor


def test_editors_see_all_certificates_but_cannot_revoke_without_the_permission(
    client, editor, certificate, other_certificate
):
    client.force_login(editor)
    html = client.get(INDEX).content.decode()
    assert certificate.number in html and other_certificate.number in html
    client.post(f"/admin/certificates/revoke/{certificate.pk}/", {"reason": "Nope"})
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_learners_never_reach_the_certificates_admin(client, gold, certificate):
    client.force_login(gold)
    assert client.get(INDEX).status_code == 302
    client.post(f"/admin/certificates/revoke/{certificate.pk}/", {"reason": "Mine"})
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_nobody_adds_or_edits_certificates_by_hand(client, admin_user, certificate):
    client.force_login(admin_user)
    assert client.get("/admin/certificates/new/").status_code in (302, 403, 404)
    assert client.get(f"/admin/certificates/edit/{certificate.pk}/").status_code in (302, 403, 404)
    assert client.post(f"/admin/certificates/delete/{certificate.pk}/").status_code in (302, 403, 404)
    assert Certificate.objects.filter(pk=certificate.pk).exists()
