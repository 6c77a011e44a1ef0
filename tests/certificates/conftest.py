"""Certificates fixtures: a Gold course taught by the named instructor, completions,
and the site's published keys read the way an outside verifier would read them."""

from django.core.cache import cache

import pytest

from learning.models import Enrollment
from learning.signals import course_completed
from tests.factories import build_course


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Verification lookups are rate-limited in the cache; each test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gold_course(catalog, tiers, instructor):
    course = build_course(
        catalog, modules=1, lessons=1, title="Practical Django", required_tier=tiers["gold"]
    )
    course.instructors.add(instructor)
    course.save()  # a ParentalManyToManyField writes its rows on save
    return course


@pytest.fixture
def free_course(catalog, tiers, instructor):
    course = build_course(catalog, modules=1, lessons=1, title="Intro to Python")
    course.instructors.add(instructor)
    course.save()  # a ParentalManyToManyField writes its rows on save
    return course


@pytest.fixture
def complete_course(django_capture_on_commit_callbacks):
    """Finish a course the way LEARNING does: an enrollment marked complete, then the
    signal, with the on-commit jobs (PDF, mail, notice) run as a commit would run them."""

    def complete(user, course):
        from django.utils import timezone

        enrollment, _ = Enrollment.objects.update_or_create(
            user=user,
            course=course,
            defaults={"status": "completed", "completed_at": timezone.now(), "progress_percent": 100},
        )
        with django_capture_on_commit_callbacks(execute=True):
            course_completed.send(sender=Enrollment, enrollment=enrollment)
        return enrollment

    return complete


@pytest.fixture
def certificate(gold, gold_course, complete_course):
    from certificates.models import Certificate

    complete_course(gold, gold_course)
    return Certificate.objects.get(user=gold, course=gold_course)


@pytest.fixture
def published_key(client):
    """The issuer's public key as a jwcrypto JWK, from /.well-known/did.json only."""
    from jwcrypto import jwk

    document = client.get("/.well-known/did.json").json()
    (method,) = [m for m in document["verificationMethod"] if m["id"] in document["assertionMethod"]]
    return method["id"], jwk.JWK(**method["publicKeyJwk"])
