"""`manage.py issue_certificates`: the safety net for completions that got no certificate."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest

from certificates.models import Certificate
from learning.models import Enrollment

pytestmark = pytest.mark.django_db


def _completed(user, course):
    return Enrollment.objects.create(
        user=user, course=course, status="completed", completed_at=timezone.now()
    )


def test_command_issues_what_is_missing_and_only_where_the_policy_allows(
    gold, bronze, gold_course, free_course, django_capture_on_commit_callbacks
):
    _completed(gold, gold_course)
    _completed(bronze, free_course)
    out = StringIO()
    call_command("issue_certificates", "--dry-run", stdout=out)
    assert "2 completed enrollment(s) without a certificate" in out.getvalue()
    assert not Certificate.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("issue_certificates", stdout=out)
    assert "Issued 1; 1 not allowed by the policy." in out.getvalue()
    assert list(Certificate.objects.values_list("user__email", flat=True)) == ["gold@example.test"]
    call_command("issue_certificates", stdout=out)
    assert Certificate.objects.count() == 1
