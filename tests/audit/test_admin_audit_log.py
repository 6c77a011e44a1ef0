"""Every admin action on the audited kinds of object lands in Wagtail's audit log
(Reports → Site history) with who did it and what changed, through the real admin views."""

import re
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import registry as log_registry

import pytest

from certificates.models import Certificate
from live.models import LiveSession
from media_pipeline.models import Video
from memberships.models import Coupon, Order, Subscription
from memberships.payments import orders
from operations.models import BackupRecord
from tests.factories import CoursePageFactory, UserFactory, VideoFactory
from tests.live.factories import LiveSessionFactory

pytestmark = pytest.mark.django_db


def entry(instance, action):
    """The one log entry of `action` on `instance`."""
    (found,) = log_registry.get_logs_for_instance(instance).filter(action=action)
    return found


def management_forms(html: str) -> dict[str, str]:
    """The formset counters a Wagtail form page carries, as a browser would post them."""
    return dict(
        re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"', html)
    )


def test_editing_a_user_logs_who_changed_what(superuser_client, admin_user, learner):
    editors, _ = Group.objects.get_or_create(name="Editors")
    response = superuser_client.post(
        reverse("wagtailusers_users:edit", args=[learner.pk]),
        {
            "email": learner.email,
            "full_name": "Lan Nguyen",
            "is_active": "on",
            "groups": [editors.pk],
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    logged = entry(learner, "wagtail.edit")
    assert logged.user == admin_user
    changes = logged.data["changes"]
    assert changes["Full name"] == ["Lan Learner", "Lan Nguyen"]
    assert changes["Groups"] == ["", "Editors"]
    assert "Password" not in changes


def test_a_password_set_by_an_admin_is_logged_as_changed_never_its_hash(superuser_client, learner):
    superuser_client.post(
        reverse("wagtailusers_users:edit", args=[learner.pk]),
        {
            "email": learner.email,
            "full_name": learner.full_name,
            "is_active": "on",
            "password1": "a-new-long-passphrase-42",
            "password2": "a-new-long-passphrase-42",
        },
    )
    learner.refresh_from_db()
    assert learner.check_password("a-new-long-passphrase-42")
    logged = entry(learner, "wagtail.edit")
    assert logged.data["changes"]["Password"] == ["••••••", "(changed)"]
    assert learner.password not in str(logged.data)


def test_creating_and_editing_a_group_logs_its_permissions(superuser_client, admin_user):
    add_url = reverse("wagtailusers_groups:add")
    page = superuser_client.get(add_url).content.decode()
    view_order = Permission.objects.get(codename="view_order")
    response = superuser_client.post(
        add_url, {"name": "Accountants", "permissions": [view_order.pk], **management_forms(page)}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    group = Group.objects.get(name="Accountants")
    created = entry(group, "wagtail.create")
    assert created.user == admin_user
    assert created.data["changes"]["Name"] == ["", "Accountants"]
    assert "view order" in created.data["changes"]["Permissions"][1]

    edit_url = reverse("wagtailusers_groups:edit", args=[group.pk])
    page = superuser_client.get(edit_url).content.decode()
    superuser_client.post(edit_url, {"name": "Bookkeepers", "permissions": [], **management_forms(page)})
    changes = entry(group, "wagtail.edit").data["changes"]
    assert changes["Name"] == ["Accountants", "Bookkeepers"]
    assert changes["Permissions"][1] == ""


def test_editing_a_tier_logs_old_and_new_price(superuser_client, admin_user, tiers):
    silver = tiers["silver"]
    response = superuser_client.post(
        reverse("membership_tiers:edit", args=[silver.pk]),
        {
            "name": "Silver Plus",
            "slug": "silver",
            "rank": silver.rank,
            "tagline": silver.tagline,
            "price": "349000",
            "currency": "VND",
            "billing_period": "month",
            "max_video_height": 1080,
            "includes_ebooks": "on",
            "max_devices": 2,
            "features": "Premium courses",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    logged = entry(silver, "wagtail.edit")
    assert logged.user == admin_user
    assert logged.data["changes"]["Name"] == ["Silver", "Silver Plus"]
    assert logged.data["changes"]["Price"] == [str(silver.price), "349000.00"]
    assert "Name: Silver → Silver Plus" in logged.message


def test_creating_a_coupon_logs_its_terms(superuser_client, admin_user, tiers):
    response = superuser_client.post(
        reverse("membership_coupons:add"),
        {
            "code": "TET2027",
            "description": "Lunar new year",
            "kind": "percent",
            "value": "20",
            "currency": "",
            "valid_from": "",
            "valid_until": "",
            "max_redemptions": "100",
            "per_user_limit": "1",
            "tiers": [tiers["gold"].pk],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    coupon = Coupon.objects.get(code="TET2027")
    logged = entry(coupon, "wagtail.create")
    assert logged.user == admin_user
    assert logged.data["changes"]["Max redemptions"] == ["", "100"]
    assert logged.data["changes"]["Tiers"] == ["", "Gold"]


def test_deleting_a_coupon_is_logged(superuser_client, admin_user):
    coupon = Coupon.objects.create(code="GONE", kind="percent", value=Decimal(5))
    response = superuser_client.post(reverse("membership_coupons:delete", args=[coupon.pk]))
    assert response.status_code == 302
    assert entry(coupon, "wagtail.delete").user == admin_user


def test_grant_extend_and_revoke_each_log_what_changed(superuser_client, admin_user, bronze, tiers):
    superuser_client.post(
        reverse("membership_subscriptions:grant"),
        {"email": bronze.email, "tier": tiers["gold"].pk, "days": 14, "note": "conference speaker"},
    )
    subscription = Subscription.objects.get(user=bronze)
    granted = entry(subscription, "memberships.subscription.grant")
    assert granted.user == admin_user
    assert granted.data["note"] == "conference speaker"
    assert granted.data["changes"]["Tier"] == ["", "Gold"]

    old_end = subscription.ends_at
    superuser_client.post(
        reverse("membership_subscriptions:extend", args=[subscription.pk]), {"days": 7, "note": ""}
    )
    extended = entry(subscription, "memberships.subscription.extend")
    assert extended.user == admin_user
    assert extended.data["changes"]["Ends at"] == [
        timezone.localtime(old_end).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(old_end + timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
    ]

    superuser_client.post(
        reverse("membership_subscriptions:revoke", args=[subscription.pk]), {"note": "refunded"}
    )
    revoked = entry(subscription, "memberships.subscription.revoke")
    assert revoked.data["changes"]["Status"] == ["Active", "Revoked"]
    assert revoked.data["note"] == "refunded"
    assert "Status: Active → Revoked" in revoked.message and "refunded" in revoked.message


def test_confirming_a_bank_transfer_logs_the_order_becoming_paid(
    superuser_client, admin_user, learner, tiers
):
    order = orders.place_order(learner, tiers["silver"], "manual")
    response = superuser_client.post(
        reverse("membership_orders:confirm", args=[order.pk]), {"bank_reference": "VCB 998877"}
    )
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == "paid"
    logged = entry(order, "memberships.order.confirm_transfer")
    assert logged.user == admin_user
    assert logged.data["changes"]["Status"][1] == "Paid"
    assert logged.data["changes"]["Provider reference"] == ["", "VCB 998877"]


def test_editing_a_video_logs_the_new_title(superuser_client, admin_user):
    video = VideoFactory(title="Old title")
    response = superuser_client.post(
        reverse("wagtailsnippets_media_pipeline_video:edit", args=[video.pk]),
        {
            "title": "New title",
            "captions-TOTAL_FORMS": "0",
            "captions-INITIAL_FORMS": "0",
            "captions-MIN_NUM_FORMS": "0",
            "captions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    logged = entry(video, "wagtail.edit")
    assert logged.user == admin_user
    assert logged.data["changes"]["Title"] == ["Old title", "New title"]


def test_packaging_a_video_again_and_deleting_it_are_logged(superuser_client, admin_user):
    video = VideoFactory(title="Lecture", source="videos/source/lecture.mp4", status="failed")
    response = superuser_client.post(
        reverse("wagtailsnippets_media_pipeline_video:repackage", args=[video.pk])
    )
    assert response.status_code == 302
    assert entry(video, "media_pipeline.video.repackage").user == admin_user

    response = superuser_client.post(reverse("wagtailsnippets_media_pipeline_video:delete", args=[video.pk]))
    assert response.status_code == 302
    assert not Video.objects.filter(pk=video.pk).exists()
    assert entry(video, "wagtail.delete").user == admin_user


def test_revoking_a_certificate_logs_the_reason(superuser_client, admin_user, certificate):
    response = superuser_client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]), {"reason": "Identity fraud confirmed"}
    )
    assert response.status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).is_revoked
    logged = entry(certificate, "certificates.revoke")
    assert logged.user == admin_user
    assert logged.data["note"] == "Identity fraud confirmed"
    assert logged.data["changes"]["Revoked by"] == ["", str(admin_user)]


def test_rescheduling_a_live_session_logs_old_and_new_title_and_times(superuser_client, admin_user, catalog):
    course = CoursePageFactory(parent=catalog, title="Async Python")
    session = LiveSessionFactory(course=course, title="Office hours")
    zone = session.zone
    new_start = (session.starts_at + timedelta(days=1)).astimezone(zone)
    response = superuser_client.post(
        reverse("live_sessions:edit", args=[session.pk]),
        {
            "course": course.pk,
            "title": "Office hours (moved)",
            "description": session.description,
            "starts_at": new_start.strftime("%Y-%m-%d %H:%M"),
            "ends_at": (new_start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "time_zone": session.time_zone,
            "capacity": "50",
            "provider": "link",
            "join_url": session.join_url,
            "status": "scheduled",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    logged = entry(LiveSession.objects.get(pk=session.pk), "wagtail.edit")
    assert logged.user == admin_user
    assert logged.data["changes"]["Title"] == ["Office hours", "Office hours (moved)"]
    assert "Starts at" in logged.data["changes"]


def test_downloading_a_backup_is_logged(superuser_client, admin_user, tmp_path):
    archive = tmp_path / "lectern-backup.lbak"
    archive.write_bytes(b"sealed")
    record = BackupRecord.objects.create(
        status=BackupRecord.Status.SUCCEEDED,
        started_at=timezone.now(),
        filename=archive.name,
        locations=[f"local:{archive}"],
        size=6,
    )
    response = superuser_client.get(reverse("operations_backups:download", args=[record.pk]))
    assert response.status_code == 200
    assert entry(record, "operations.backup.download").user == admin_user


def test_site_history_shows_who_and_what_changed(superuser_client, admin_user, tiers):
    coupon = Coupon.objects.create(code="SPRING", kind="percent", value=Decimal(10))
    url = reverse("membership_coupons:edit", args=[coupon.pk])
    superuser_client.post(url, {"code": "SPRING", "kind": "percent", "value": "15", "active": "on"})
    html = superuser_client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Value: 10.00 → 15" in html
    assert admin_user.full_name in html or admin_user.email in html


def test_staff_without_a_superuser_role_cannot_read_changes_they_may_not_see(client, editor):
    """Wagtail's own rule stands: Site history shows an entry only to staff with a
    permission on that kind of object."""
    someone = UserFactory()
    from wagtail.log_actions import log

    log(someone, "wagtail.edit", data={"changes": {"Full name": ["A", "B"]}})
    from .conftest import login_with_mfa

    login_with_mfa(client, editor)
    html = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Full name: A → B" not in html
