"""One learner with data in every area the privacy registry covers, made through the
same functions the site uses (sign-in through allauth's form, orders paid through
`mark_paid`, enrolment, quiz attempts, certificates, playback), plus the staff and the
rows around them that must survive an erasure."""

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress
from rest_framework_simplejwt.tokens import RefreshToken

from analytics.models import Event
from analytics.recording import build_event, save_events
from api.models import IdempotencyKey
from audit.changes import log_change, snapshot
from learning.enrollment import enroll
from learning.models import Enrollment, LessonPage, LessonProgress
from learning.signals import course_completed
from live.models import Attendance
from media_pipeline.models import KeyAccess
from memberships import devices
from memberships.models import PaymentProvider, WebhookEvent
from memberships.payments.orders import mark_paid, place_order
from notifications.inbox import notify
from privacy import consent
from privacy.models import ConsentPurpose
from quizzes import attempts
from tests.conftest import PASSWORD
from tests.factories import EbookPageFactory, UserFactory, VideoFactory, build_course
from tests.live.factories import LiveSessionFactory
from tests.quizzes.factories import lesson_with_quiz, quiz, sql_questions

EMAIL = "zephyrine.quill@example.test"
NAME = "Zephyrine Quillfeather"
IPV4 = "203.0.113.77"
IPV6 = "2001:db8::7777"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chromium/140 QuillBrowser/1.0"
QUIZ_ID = "3c7f2a44-1b2d-4e5f-8a9b-0c1d2e3f4a5b"


@dataclass
class Seeded:
    user: object
    course: object
    order: object
    certificate_number: str
    key_access_ids: list
    ebook_download_ids: list
    event_ids: list
    needles: tuple = (EMAIL, NAME, "Zephyrine", "Quillfeather", "zephyrine.quill", IPV4, IPV6)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(client, tiers, catalog, ebooks, instructor, admin_user, django_capture_on_commit_callbacks):
    user = UserFactory(email=EMAIL, full_name=NAME)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    run = django_capture_on_commit_callbacks

    # Logins: a failure, then a success, through allauth's form from two addresses.
    with run(execute=True):
        client.post(
            reverse("account_login"),
            {"login": EMAIL, "password": "not-the-password"},
            REMOTE_ADDR=IPV6,
            HTTP_USER_AGENT=BROWSER,
        )
        response = client.post(
            reverse("account_login"),
            {"login": EMAIL, "password": PASSWORD},
            REMOTE_ADDR=IPV4,
            HTTP_USER_AGENT=BROWSER,
        )
    assert response.status_code == 302, response.content[:500]

    # A staff edit of the account (the site's history names the learner).
    before = snapshot(user, ["full_name"])
    user.full_name = NAME + " Jr"
    log_change(user, "wagtail.edit", user=admin_user, before=before, fields=["full_name"])
    user.full_name = NAME
    user.save(update_fields=["full_name"])

    # Membership: a paid order (receipt email, subscription, purchase event).
    with run(execute=True):
        order = place_order(user, tiers["gold"], PaymentProvider.MANUAL)
        order = mark_paid(order, reference="BANK-123", actor=admin_user)
    user = type(user).objects.get(pk=user.pk)  # the tier is cached on the object; Gold now
    WebhookEvent.objects.create(
        provider="stripe",
        event_id="evt_privacy_1",
        type="checkout.session.completed",
        payload={"data": {"object": {"customer_details": {"email": EMAIL, "name": NAME}}}},
    )

    # Learning: enrolment, progress with watched ranges, a quiz attempt, a certificate.
    course = build_course(catalog, modules=1, lessons=1, title="Erasable Course", required_tier=tiers["gold"])
    course.instructors.add(instructor)
    course.save()
    with run(execute=True):
        enroll(user, course)
    lesson = LessonPage.objects.descendant_of(course).first()
    LessonProgress.objects.create(
        user=user, lesson=lesson, watched_ranges=[[0, 30], [45, 60]], watched_seconds=45
    )
    quiz_lesson = lesson_with_quiz(course, quiz(sql_questions(), block_id=QUIZ_ID), title="Quiz lesson")
    attempts.start_attempt(user, quiz_lesson, QUIZ_ID, attempts.find_quiz(quiz_lesson, QUIZ_ID))
    enrollment = Enrollment.objects.get(user=user, course=course)
    enrollment.status, enrollment.completed_at, enrollment.progress_percent = "completed", timezone.now(), 100
    enrollment.save()
    with run(execute=True):
        course_completed.send(sender=Enrollment, enrollment=enrollment)
    certificate = user.certificates.get()
    assert certificate.pdf and certificate.learner_name == NAME

    # Live session attendance, an ebook download, playback and key access.
    session = LiveSessionFactory(course=course, created_by=instructor)
    now = timezone.now()
    Attendance.objects.create(session=session, user=user, joined_at=now, last_joined_at=now)
    ebook = EbookPageFactory(parent=ebooks, title="Erasable Ebook")
    download = ebook.record_download(user, IPV4, BROWSER)
    start = devices.start_playback(user, "device-zq", BROWSER, IPV4)
    video = VideoFactory()
    access = KeyAccess.objects.create(
        video=video,
        user=user,
        playback_session=start.session,
        allowed=True,
        ip_address=IPV4,
        user_agent=BROWSER,
    )

    # Notices, analytics, consent, API tokens and an idempotency key.
    notify(user, "welcome", f"Welcome {NAME}", "Glad you are here.")
    event = build_event("page_view", user=user, path="/courses/erasable-course/")
    save_events([event])
    consent.record(user, ConsentPurpose.ANALYTICS, True)
    consent.record(user, ConsentPurpose.MARKETING_EMAIL, True)
    RefreshToken.for_user(user)
    IdempotencyKey.objects.create(
        user=user, key="k-1", fingerprint="f" * 64, status_code=201, response_body={"ok": 1}
    )

    events = list(Event.objects.filter(user=user).values_list("pk", flat=True))
    return Seeded(
        user=user,
        course=course,
        order=order,
        certificate_number=certificate.number,
        key_access_ids=[access.pk],
        ebook_download_ids=[download.pk],
        event_ids=events,
    )
