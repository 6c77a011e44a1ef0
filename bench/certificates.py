"""What a certificate costs: rendering the PDF, signing the credential, publishing the
status list, and serving the verification page, side by side in one run.

The status list is rebuilt from the database on each request (so a revocation shows at
once); this shows what that costs with no revocations and with 2,000 of them, next to
signing one credential. CPU milliseconds per operation, median of rounds.

    .venv/bin/python -m bench certificates
"""

import statistics
import time

from bench.setup import django_with_fresh_db, fresh_catalog

ROUNDS = 7


def _cpu_ms(operation, n: int) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(n):
            operation()
        samples.append((time.process_time() - started) * 1000 / n)
    return statistics.median(samples)


def _build():
    from django.utils import timezone

    from certificates.issuing import issue_certificate
    from learning.models import Enrollment
    from memberships import subscriptions
    from memberships.defaults import seed_default_tiers
    from memberships.models import Tier
    from tests.factories import UserFactory, build_course

    seed_default_tiers(Tier)
    gold = Tier.objects.get(slug="gold")
    course = build_course(fresh_catalog(), modules=1, lessons=1, title="Bench course", required_tier=gold)
    learner = UserFactory(email="bench-cert@example.test", full_name="Nguyễn Thị Lan Anh")
    subscriptions.grant(learner, gold, notify=False)
    Enrollment.objects.create(user=learner, course=course, status="completed", completed_at=timezone.now())
    return issue_certificate(learner, course)


def _revoke_many(count: int) -> None:
    """Fill the list with `count` revoked certificates (rows written directly: only the
    status list's read is measured)."""
    import secrets

    from django.utils import timezone

    from certificates.models import Certificate
    from certificates.status_list import LIST_SIZE
    from tests.factories import UserFactory

    taken = set(Certificate.objects.values_list("status_list_index", flat=True))
    now = timezone.now()
    rows = []
    for i in range(count):
        index = secrets.randbelow(LIST_SIZE)
        while index in taken:
            index = secrets.randbelow(LIST_SIZE)
        taken.add(index)
        rows.append(
            Certificate(
                user=UserFactory(email=f"bench-revoked{i}@example.test"),
                number=f"LCT-2026-B{i:05d}"[:15],
                issued_at=now,
                revoked_at=now,
                revoked_reason="bench",
                status_list_index=index,
                learner_name="x",
                course_title="x",
                recipient_salt="x",
                recipient_hash="x",
            )
        )
    Certificate.objects.bulk_create(rows)


def main(setup=True):
    if setup:
        django_with_fresh_db()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from certificates import credentials, status_list
    from certificates.pdf import render_certificate_pdf

    certificate = _build()
    client = Client()
    verify_url = f"/certificates/verify/{certificate.number}/"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(verify_url).status_code == 200
    verify_queries = len(queries)

    from django.conf import settings

    settings.CERTIFICATE_VERIFY_RATE = "1000000/m"
    figures = {
        "render PDF (reportlab + QR)": _cpu_ms(lambda: render_certificate_pdf(certificate), 5),
        "sign credential (VC-JWT, EdDSA)": _cpu_ms(lambda: credentials.signed_credential(certificate), 50),
        "status list, 0 revoked": _cpu_ms(lambda: status_list.signed_status_list(1), 20),
        "verification page (GET)": _cpu_ms(lambda: client.get(verify_url), 20),
        "/.well-known/did.json (GET)": _cpu_ms(lambda: client.get("/.well-known/did.json"), 50),
    }
    _revoke_many(2000)
    figures["status list, 2,000 revoked"] = _cpu_ms(lambda: status_list.signed_status_list(1), 20)

    sign = figures["sign credential (VC-JWT, EdDSA)"]
    print("Certificates: CPU ms per operation (median of rounds)")
    for name, ms in figures.items():
        print(f"  {name:34} {ms:8.2f} ms   ×{ms / sign:6.1f} of one signature")
    print(f"  verification page queries: {verify_queries}")
    print(f"  status list token size: {len(status_list.signed_status_list(1)):,} bytes (2,000 revoked)")


if __name__ == "__main__":
    main()
