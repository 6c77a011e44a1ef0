"""Issuing on completion, through the one policy, once; delivery by mail and in-site."""

import re

from django.core import mail

import pytest

from certificates import tasks
from certificates.credentials import recipient_identity
from certificates.issuing import issue_certificate, normalize_number, revoke_certificate
from certificates.models import Certificate
from notifications.mail import deliver
from notifications.models import EmailLog, EmailStatus, Notification

pytestmark = pytest.mark.django_db


def test_gold_learner_finishing_a_course_gets_a_numbered_certificate(certificate, gold, gold_course):
    assert re.fullmatch(r"LCT-\d{4}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}", certificate.number)
    assert certificate.number[4:8] == str(certificate.issued_at.year)
    assert certificate.learner_name == "Giang Gold"
    assert certificate.course_title == "Practical Django"
    assert certificate.instructors == ["Ines Instructor"]
    assert certificate.recipient_hash == recipient_identity("gold@example.test", certificate.recipient_salt)
    assert 0 <= certificate.status_list_index


def test_the_snapshot_does_not_follow_later_renames(certificate, gold, gold_course):
    gold.full_name = "Someone Else"
    gold.save()
    gold_course.title = "Renamed course"
    gold_course.save_revision().publish()
    certificate.refresh_from_db()
    assert (certificate.learner_name, certificate.course_title) == ("Giang Gold", "Practical Django")


def test_certificate_is_mailed_with_its_pdf_and_announced_in_site(certificate, gold):
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.rendered_at and certificate.delivered_at
    (message,) = [m for m in mail.outbox if certificate.number in m.body]
    assert message.to == ["gold@example.test"]
    assert "Practical Django" in message.subject
    assert certificate.verification_url in message.body
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == (f"{certificate.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    log = EmailLog.objects.get(template="certificate_issued", user=gold)
    assert log.status == EmailStatus.SENT
    notice = Notification.objects.get(user=gold, kind="certificate_issued")
    assert notice.url == f"/certificates/verify/{certificate.number}/"


def test_a_retried_mail_attaches_the_pdf_again(certificate, gold):
    log = EmailLog.objects.get(template="certificate_issued", user=gold)
    log.status = EmailStatus.FAILED
    log.save()
    mail.outbox.clear()
    certificate.refresh_from_db()
    deliver(log.pk, attachments=[(certificate.pdf_filename, certificate.pdf.name, "application/pdf")])
    (message,) = mail.outbox
    assert message.attachments[0][0] == certificate.pdf_filename


def test_a_missing_attachment_is_recorded_as_a_failed_delivery(gold):
    from notifications.mail import send_templated_email

    log = send_templated_email("subscription_expired", gold, {"tier": None})
    with pytest.raises(FileNotFoundError):
        deliver(log.pk, attachments=[("gone.pdf", "certificates/gone.pdf", "application/pdf")])
    log.refresh_from_db()
    assert log.status == EmailStatus.FAILED


def test_completing_again_returns_the_same_certificate_and_mails_nothing_more(
    certificate, gold, gold_course, complete_course
):
    mail.outbox.clear()
    complete_course(gold, gold_course)
    assert Certificate.objects.filter(user=gold).count() == 1
    assert issue_certificate(gold, gold_course) == certificate
    assert mail.outbox == []
    assert Notification.objects.filter(user=gold, kind="certificate_issued").count() == 1


def test_running_the_job_twice_renders_and_mails_once(certificate):
    first_pdf = Certificate.objects.get(pk=certificate.pk).pdf.name
    mail.outbox.clear()
    tasks.render_and_deliver(certificate.pk)
    assert Certificate.objects.get(pk=certificate.pk).pdf.name == first_pdf
    assert mail.outbox == []


def test_bronze_learner_on_a_free_course_gets_no_certificate(bronze, free_course, complete_course):
    complete_course(bronze, free_course)
    assert not Certificate.objects.exists()
    assert not EmailLog.objects.filter(template="certificate_issued").exists()


def test_silver_tier_without_certificates_gets_none(silver, free_course, complete_course):
    complete_course(silver, free_course)
    assert not Certificate.objects.exists()


def test_lapsed_gold_member_gets_none(lapsed, gold_course, complete_course):
    complete_course(lapsed, gold_course)
    assert not Certificate.objects.exists()


def test_gold_member_on_a_free_course_gets_one(gold, free_course, complete_course):
    complete_course(gold, free_course)
    assert Certificate.objects.filter(user=gold, course=free_course).exists()


def test_revoking_records_who_when_and_why(certificate, admin_user):
    revoked = revoke_certificate(certificate, actor=admin_user, reason="  Plagiarised final project ")
    assert revoked.revoked_by == admin_user
    assert revoked.revoked_reason == "Plagiarised final project"
    assert revoked.revoked_at is not None
    again = revoke_certificate(revoked, actor=admin_user, reason="Another reason")
    assert again.revoked_reason == "Plagiarised final project"


def test_revoking_needs_a_reason(certificate, admin_user):
    with pytest.raises(ValueError):
        revoke_certificate(certificate, actor=admin_user, reason="   ")
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_a_certificate_revoked_before_its_job_runs_is_not_mailed(gold, gold_course, admin_user):
    cert = issue_certificate(gold, gold_course)  # no commit in this test: the job waits
    revoke_certificate(cert, actor=admin_user, reason="Issued by mistake")
    tasks.render_and_deliver(cert.pk)
    assert not EmailLog.objects.filter(template="certificate_issued").exists()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("LCT-2026-7KQ3XW", "LCT-2026-7KQ3XW"),
        ("  lct-2026-7kq3xw ", "LCT-2026-7KQ3XW"),
        ("LCT – 2026 – 7KQ3XW", "LCT-2026-7KQ3XW"),
        ("LCT-2026-7KQ3X", None),  # too short
        ("LCT-2026-7KQ3XO", None),  # O is never used (looks like 0)
        ("LCT-2026-7KQ31W", None),  # 1 is never used (looks like I)
        ("LCT-26-7KQ3XW", None),
        ("ABC-2026-7KQ3XW", None),
        ("", None),
        ("LCT-2026-7KQ3XW' OR 1=1 --", None),
        ("Ｌ" * 200, None),
    ],
)
def test_numbers_are_normalised_or_refused(typed, expected):
    assert normalize_number(typed) == expected


def test_deleting_an_account_revokes_and_scrubs_its_certificates_but_keeps_the_bit(certificate, gold, client):
    from pathlib import Path

    from certificates import status_list

    certificate.refresh_from_db()
    pdf_path = Path(certificate.pdf.path)
    assert pdf_path.exists()
    gold.delete()

    kept = Certificate.objects.get(pk=certificate.pk)
    assert kept.user_id is None
    assert kept.is_revoked and kept.revoked_reason == "The learner's account was deleted."
    assert kept.learner_name == "" and kept.recipient_hash == ""
    assert not kept.pdf and not pdf_path.exists()
    bits = status_list.decode_bitstring(
        status_list.status_list_credential(1)["credentialSubject"]["encodedList"]
    )
    assert status_list.bit_is_set(bits, kept.status_list_index % status_list.LIST_SIZE)

    html = client.get(f"/certificates/verify/{kept.number}/").content.decode()
    assert "(account deleted)" in html and "Giang Gold" not in html and "Revoked on" in html


def test_the_learner_is_told_in_site_when_a_certificate_is_revoked(certificate, gold, admin_user):
    revoke_certificate(certificate, actor=admin_user, reason="Shared exam answers")
    notice = Notification.objects.get(user=gold, kind="certificate_revoked")
    assert "Practical Django" in notice.title and "Shared exam answers" in notice.body
