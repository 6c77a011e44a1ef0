"""Enrolling: one click, through the policy, idempotent, announced once."""

from django.urls import reverse

import pytest

from learning.enrollment import EnrollmentRefused, enroll
from learning.models import Enrollment, EnrollmentStatus
from learning.signals import enrolled
from notifications.models import EmailLog, Notification

from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def free_course(catalog):
    course = CoursePageFactory(parent=catalog, title="Free SQL")
    LessonPageFactory(parent=ModulePageFactory(parent=course), title="Select")
    return course


@pytest.fixture
def gold_course(catalog, tiers, instructor):
    course = CoursePageFactory(parent=catalog, title="Gold SQL", required_tier=tiers["gold"])
    course.instructors.add(instructor)
    course.save_revision().publish()
    LessonPageFactory(parent=ModulePageFactory(parent=course), title="Window functions")
    return course


def test_one_click_enrolls_a_learner_in_a_free_course(client, learner, free_course):
    client.force_login(learner)
    page = client.get(free_course.url).content.decode()
    assert "Enroll for free" in page
    response = client.post(reverse("learning:enroll", args=[free_course.pk]), follow=True)
    assert response.redirect_chain[-1][0] == free_course.url
    assert Enrollment.objects.filter(
        user=learner, course=free_course, status=EnrollmentStatus.ACTIVE
    ).exists()
    body = response.content.decode()
    assert "You are enrolled in Free SQL" in body and "Enroll for free" not in body
    assert "Start learning" in body


def test_enrolling_sends_the_signal_an_email_and_a_notice_once(
    learner, free_course, django_capture_on_commit_callbacks
):
    received = []
    enrolled.connect(
        lambda **kw: received.append(kw["enrollment"].pk), weak=False, dispatch_uid="enrolled-test"
    )
    try:
        first = enroll(learner, free_course)
        second = enroll(learner, free_course)
    finally:
        enrolled.disconnect(dispatch_uid="enrolled-test")
    assert first.created and not second.created
    assert first.enrollment.pk == second.enrollment.pk
    assert received == [first.enrollment.pk]
    assert EmailLog.objects.filter(user=learner, template="enrolled").count() == 1
    log = EmailLog.objects.get(user=learner, template="enrolled")
    assert "Free SQL" in log.subject and free_course.url in log.body_text
    notice = Notification.objects.get(user=learner, kind="enrolled")
    assert notice.url == free_course.url


def test_enrolling_twice_by_http_keeps_one_enrollment(client, learner, free_course):
    client.force_login(learner)
    url = reverse("learning:enroll", args=[free_course.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert Enrollment.objects.filter(user=learner, course=free_course).count() == 1
    assert "already enrolled" in response.content.decode()


def test_a_learner_below_the_tier_gets_the_teaser_not_an_enrollment(client, bronze, gold_course):
    client.force_login(bronze)
    page = client.get(gold_course.url)
    assert page.status_code == 403  # the course page itself is gated
    response = client.post(reverse("learning:enroll", args=[gold_course.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Upgrade to Gold" in body and "/membership/" in body
    assert not Enrollment.objects.exists()
    with pytest.raises(EnrollmentRefused) as refused:
        enroll(bronze, gold_course)
    assert refused.value.decision.reason == "tier_too_low"


@pytest.mark.parametrize("who", ["gold", "instructor", "editor"])
def test_gold_members_staff_and_its_instructors_may_enroll_in_a_gold_course(who, request, gold_course):
    user = request.getfixturevalue(who)
    assert enroll(user, gold_course).created


def test_silver_and_lapsed_members_may_not_enroll_in_a_gold_course(silver, lapsed, gold_course):
    for user in (silver, lapsed):
        with pytest.raises(EnrollmentRefused):
            enroll(user, gold_course)


def test_a_visitor_is_sent_to_log_in(client, free_course):
    response = client.post(reverse("learning:enroll", args=[free_course.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "Log in to enroll" in client.get(free_course.url).content.decode()
    assert not Enrollment.objects.exists()


def test_enroll_needs_post_and_a_live_course(client, learner, free_course):
    client.force_login(learner)
    assert client.get(reverse("learning:enroll", args=[free_course.pk])).status_code == 405
    assert client.post(reverse("learning:enroll", args=[999999])).status_code == 404
    free_course.unpublish()
    assert client.post(reverse("learning:enroll", args=[free_course.pk])).status_code == 404


def test_enroll_is_csrf_protected(learner, free_course):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post(reverse("learning:enroll", args=[free_course.pk])).status_code == 403
    assert not Enrollment.objects.exists()


def test_a_cancelled_enrollment_is_reopened(learner, free_course):
    enrollment = enroll(learner, free_course).enrollment
    Enrollment.objects.filter(pk=enrollment.pk).update(status=EnrollmentStatus.CANCELLED)
    result = enroll(learner, free_course)
    assert result.created and result.enrollment.status == EnrollmentStatus.ACTIVE
