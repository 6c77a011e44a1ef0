"""Delete my account: locked at once, cancelled by logging in within 7 days, then erased
everywhere (orders and counts kept without the person), never the last superuser."""

import os
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pyotp
import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import api_tokens
from analytics.models import DailyRollup, DailyTierRollup, Event
from analytics.rollups import rollup_day
from certificates.models import Certificate
from learning.models import EbookDownload
from media_pipeline.models import KeyAccess
from memberships.models import Order, OrderStatus, PlaybackSession
from notifications.models import EmailLog
from privacy import erasure
from privacy.models import ErasureRequest, ErasureStatus
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.media_pipeline.playback_support import lesson_with_video
from tests.media_pipeline.test_playback import _protected_urls, client_for

from .conftest import EMAIL, NAME

pytestmark = pytest.mark.django_db
User = get_user_model()


def _delete_from_account_page(client, password=PASSWORD, **extra):
    return client.post(reverse("privacy:delete_account"), {"password": password, **extra})


def _after_grace():
    return timezone.now() + timedelta(days=settings.PRIVACY_ERASURE_GRACE_DAYS, minutes=1)


def _text_hits(needles) -> list[str]:
    """Every (table, column) of every table in the database whose text holds a needle."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name for column in connection.introspection.get_table_description(cursor, table)
            ]
            for column in columns:
                quoted_table, quoted_column = (
                    connection.ops.quote_name(table),
                    connection.ops.quote_name(column),
                )
                for needle in needles:
                    cursor.execute(
                        # Names come from the database's own catalogue, quoted by the backend.
                        f"SELECT COUNT(*) FROM {quoted_table} WHERE LOWER(CAST({quoted_column} AS TEXT)) LIKE %s",  # noqa: S608
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        hits.append(f"{table}.{column} ~ {needle}")
    return hits


def _file_name_hits(needles) -> list[str]:
    hits = []
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        for folder, dirs, files in os.walk(root):
            for name in dirs + files:
                path = os.path.join(folder, name)
                hits += [f"{path} ~ {needle}" for needle in needles if needle.lower() in path.lower()]
    return hits


def _figures():
    today = timezone.localdate()
    rollup_day(today)
    site = DailyRollup.objects.get(day=today)
    tiers = DailyTierRollup.objects.filter(day=today).aggregate(
        revenue=Sum("revenue"), purchases=Sum("purchases")
    )
    paid = Order.objects.filter(status=OrderStatus.PAID)
    return {
        "orders": paid.count(),
        "order revenue": paid.aggregate(total=Sum("amount"))["total"] or Decimal(0),
        "panel revenue": tiers["revenue"],
        "panel purchases": tiers["purchases"],
        "page views": site.page_views,
        "enrollments": site.enrollments,
        "completions": site.completions,
        "registrations": site.registrations,
    }


def test_erasure_leaves_no_trace_of_the_learner_and_keeps_the_figures(
    seeded, client, django_capture_on_commit_callbacks
):
    before = _figures()
    stored_rollup = DailyRollup.objects.values().get(day=timezone.localdate())
    assert _text_hits(seeded.needles), "the seed must put the learner's details in the database"

    with django_capture_on_commit_callbacks(execute=True):
        response = _delete_from_account_page(client)
    assert response.status_code == 200 and b"will be deleted" in response.content
    request = ErasureRequest.objects.get()
    assert request.status == ErasureStatus.PENDING
    assert "_auth_user_id" not in client.session  # signed out at once

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert erasure.erase_due(now=_after_grace()) == [request.pseudonym]

    assert _text_hits(seeded.needles) == []
    assert _file_name_hits(seeded.needles) == []

    # The final email went out, and its log forgot where.
    (final,) = mail.outbox
    assert final.to == [EMAIL] and "deleted" in final.subject
    assert not EmailLog.objects.filter(to=EMAIL).exists()

    # Orders stay for accounting under a pseudonym; the figures do not move.
    order = Order.objects.get(pk=seeded.order.pk)
    assert order.user is None and order.email == f"{request.pseudonym}@erased.invalid"
    assert DailyRollup.objects.values().get(day=timezone.localdate()) == stored_rollup
    assert _figures() == before

    # Counts keep their rows without the person.
    assert not KeyAccess.objects.filter(pk__in=seeded.key_access_ids, ip_address__isnull=False).exists()
    assert KeyAccess.objects.filter(pk__in=seeded.key_access_ids, user=None).count() == 1
    assert EbookDownload.objects.filter(pk__in=seeded.ebook_download_ids, user=None, ip=None).count() == 1
    assert Event.objects.filter(pk__in=seeded.event_ids, user=None).count() == len(seeded.event_ids)

    # The certificate is revoked and its public page names nobody.
    certificate = Certificate.objects.get(number=seeded.certificate_number)
    assert certificate.is_revoked and certificate.learner_name == "" and not certificate.pdf
    page = Client().get(reverse("certificates:verify_number", args=[certificate.number]))
    assert NAME.encode() not in page.content and b"Zephyrine" not in page.content

    # The account is gone: its password opens nothing.
    assert not User.objects.filter(email=EMAIL).exists()
    login = Client().post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert login.status_code == 200  # the form again, with an error
    request.refresh_from_db()
    assert request.status == ErasureStatus.DONE and request.user is None


def test_the_wrong_password_deletes_nothing(learner, client):
    client.force_login(learner)
    response = _delete_from_account_page(client, password="wrong")
    assert response.status_code == 200 and b"not your password" in response.content
    assert not ErasureRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.post(reverse("privacy:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_staff_with_a_second_factor_must_give_its_code(editor, client):
    secret = pyotp.random_base32()
    TOTP.activate(editor, secret)
    RecoveryCodes.activate(editor)
    client.force_login(editor)
    assert _delete_from_account_page(client).status_code == 200
    assert not ErasureRequest.objects.exists()
    assert _delete_from_account_page(client, code="000000").status_code == 200
    assert not ErasureRequest.objects.exists()
    response = _delete_from_account_page(client, code=pyotp.TOTP(secret).now())
    assert response.status_code == 200 and ErasureRequest.objects.filter(user=editor).exists()


def test_logging_in_within_7_days_cancels_the_erasure(
    home, learner, client, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        _delete_from_account_page(client)
    request = ErasureRequest.objects.get(user=learner)
    assert request.erase_after > timezone.now() + timedelta(days=6)
    assert any("will be deleted" in message.subject for message in mail.outbox)

    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": PASSWORD}, follow=True
    )
    assert b"will not be deleted" in response.content
    request.refresh_from_db()
    assert request.status == ErasureStatus.CANCELLED
    assert erasure.erase_due(now=_after_grace()) == []
    assert User.objects.filter(pk=learner.pk).exists()


def test_asking_signs_out_every_session_and_revokes_api_tokens(learner, django_capture_on_commit_callbacks):
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(learner)
    refresh = RefreshToken.for_user(learner)
    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {api_tokens.start_family(learner).access}")
    assert app.get("/api/v1/me/export/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        _delete_from_account_page(browsers[0])
    for browser in browsers:
        assert browser.get(reverse("privacy:your_data")).status_code == 302  # to the login page
    token = OutstandingToken.objects.get(jti=refresh["jti"])
    assert hasattr(token, "blacklistedtoken")
    refused = app.get("/api/v1/me/export/")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "token_revoked"


def test_the_last_superuser_cannot_be_erased(admin_user, client):
    client.force_login(admin_user)
    page = client.get(reverse("privacy:delete_account"))
    assert b"last superuser" in page.content
    _delete_from_account_page(client)
    assert not ErasureRequest.objects.exists()
    with pytest.raises(CommandError, match="last superuser"):
        call_command("erase_user", admin_user.email, now=True)
    with pytest.raises(erasure.ErasureRefused):
        erasure.erase(admin_user)

    UserFactory(email="second-admin@example.test", is_staff=True, is_superuser=True)
    call_command("erase_user", admin_user.email, now=True)
    assert not User.objects.filter(pk=admin_user.pk).exists()


def test_erase_user_now_is_recorded_with_who_ran_it(learner):
    call_command("erase_user", learner.email, now=True)
    request = ErasureRequest.objects.get()
    entry = ModelLogEntry.objects.get(action="privacy.erasure.now")
    assert "manage.py erase_user --now" in entry.data["via"]
    assert entry.data["pseudonym"] == request.pseudonym
    assert request.status == ErasureStatus.DONE and "erase_user --now" in request.requested_by


def test_erase_user_without_now_waits(learner):
    call_command("erase_user", learner.email)
    assert ErasureRequest.objects.get().status == ErasureStatus.PENDING
    assert User.objects.filter(pk=learner.pk).exists()


def test_erasing_a_learner_mid_playback_ends_their_key_access(
    gold, catalog, tiers, django_capture_on_commit_callbacks
):
    lesson = lesson_with_video(catalog, tier=tiers["gold"], heights=(360,))
    player = client_for(gold)
    urls = _protected_urls(player, lesson)
    assert player.get(urls["key"]).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        erasure.request_erasure(gold)
    assert PlaybackSession.objects.get(user=gold).ended_at is not None
    assert player.get(urls["key"]).status_code in (401, 403)  # signed out
    # Even signed in again, the ended playback session no longer opens the key.
    refused = client_for(gold).get(urls["key"])
    assert refused.status_code == 409 and refused.json()["error"]["code"]
