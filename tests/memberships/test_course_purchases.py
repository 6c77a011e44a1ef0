"""Single-course sales: the offer on the teaser, buying by bank transfer, and the one
policy rule that opens a bought course at every door (page, key endpoint, quiz,
certificate, attached ebook, live sessions when ticked) — and closes it again on refund.
"""

import json
import re
from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

import pytest

from certificates.issuing import issue_certificate
from memberships import policy
from memberships.models import CoursePurchase, OrderStatus, Refund
from memberships.payments import manual_provider, orders, refunds
from notifications.models import EmailLog

from ..factories import EbookPageFactory
from ..media_pipeline.playback_support import lesson_with_video
from ..quizzes.conftest import QUIZ_ID
from ..quizzes.factories import lesson_with_quiz, quiz, sql_questions

pytestmark = pytest.mark.django_db

PRICE = 990_000


@pytest.fixture
def gold_lesson(catalog, tiers):
    lesson = lesson_with_video(catalog, tier=tiers["gold"], heights=(360, 720))
    course = lesson.course
    course.price = PRICE
    course.save_revision().publish()
    return lesson


@pytest.fixture
def course(gold_lesson):
    return gold_lesson.course


@pytest.fixture
def quiz_lesson(course):
    return lesson_with_quiz(course, quiz(sql_questions(), block_id=QUIZ_ID), title="Grouping rows")


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def buy(user, course, admin_user):
    order = orders.place_course_order(user, course, "manual")
    return manual_provider.confirm(order, actor=admin_user)


def fresh(user):
    """The user as a new request sees it (no per-request caches)."""
    return type(user).objects.get(pk=user.pk)


def key_status(client, lesson):
    """Start playback and fetch the 720p key: the key endpoint's answer."""
    response = client.post(
        f"/video/play/{lesson.pk}/",
        data=json.dumps({"device": "device-aaaaaaaa"}),
        content_type="application/json",
    )
    if response.status_code != 200:
        return response.status_code
    master_url = response.json()["master_url"]
    media = client.get(master_url.replace("master.m3u8", "720p.m3u8")).content.decode()
    return client.get(re.search(r'URI="([^"]+)"', media).group(1)).status_code


def doors(user, course, lesson, quiz_lesson) -> dict[str, bool]:
    client = client_for(user)
    return {
        "course_page": client.get(course.url).status_code == 200,
        "lesson_page": client.get(lesson.url).status_code == 200,
        "key": key_status(client, lesson) == 200,
        "quiz": client.post(f"/quizzes/lessons/{quiz_lesson.pk}/{QUIZ_ID}/start/").status_code == 302,
        "certificate": bool(policy.can_get_certificate(fresh(user), course)),
    }


ALL_OPEN = {"course_page": True, "lesson_page": True, "key": True, "quiz": True, "certificate": True}
ALL_SHUT = dict.fromkeys(ALL_OPEN, False)


def test_teaser_offers_the_tier_and_the_course_priced_the_vietnamese_way(bronze, course):
    response = client_for(bronze).get(course.url)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Get Gold" in text
    assert "Buy this course for 990.000 ₫" in text
    assert f"/membership/courses/{course.pk}/buy/" in text


def test_a_course_without_a_price_offers_only_the_tier(bronze, course):
    course.price = None
    course.save_revision().publish()
    text = client_for(bronze).get(course.url).content.decode()
    assert "Get Gold" in text and "Buy this course" not in text


def test_bronze_learner_buys_by_bank_transfer_and_every_door_opens(
    bronze, admin_user, course, gold_lesson, quiz_lesson
):
    assert doors(bronze, course, gold_lesson, quiz_lesson) == ALL_SHUT
    order = orders.place_course_order(bronze, course, "manual")
    assert order.status == OrderStatus.PENDING and order.amount == Decimal(PRICE) and order.currency == "VND"
    assert [item.kind for item in order.items.all()] == ["course"]
    assert doors(bronze, course, gold_lesson, quiz_lesson) == ALL_SHUT  # not paid yet

    manual_provider.confirm(order, actor=admin_user)
    manual_provider.confirm(order, actor=admin_user)  # a double click grants once
    assert CoursePurchase.objects.filter(user=bronze, course=course).count() == 1
    assert doors(bronze, course, gold_lesson, quiz_lesson) == ALL_OPEN
    assert issue_certificate(fresh(bronze), course) is not None
    # The tier did not change: other Gold courses stay shut.
    assert policy.tier_of(fresh(bronze)).slug == "bronze"


def test_bought_then_tier_lapsed_stays_open(gold, admin_user, course, gold_lesson, quiz_lesson):
    buy(gold, course, admin_user)
    gold.subscriptions.update(ends_at=timezone.now() - timedelta(minutes=1))
    assert policy.tier_of(fresh(gold)).is_free
    assert doors(gold, course, gold_lesson, quiz_lesson) == ALL_OPEN


def test_another_learners_purchase_opens_nothing(
    bronze, silver, admin_user, course, gold_lesson, quiz_lesson
):
    buy(bronze, course, admin_user)
    assert doors(silver, course, gold_lesson, quiz_lesson) == ALL_SHUT


def test_anonymous_is_refused_a_bought_course(bronze, admin_user, course, gold_lesson, quiz_lesson):
    buy(bronze, course, admin_user)
    anonymous = Client()
    assert anonymous.get(gold_lesson.url).status_code == 403
    assert key_status(anonymous, gold_lesson) in (401, 403)


def test_bought_and_refunded_shuts_every_door_and_mails_the_learner(
    bronze, admin_user, course, gold_lesson, quiz_lesson
):
    order = buy(bronze, course, admin_user)
    assert doors(bronze, course, gold_lesson, quiz_lesson) == ALL_OPEN
    refund = refunds.refund_order(order, Decimal(PRICE), actor=admin_user, reason="Changed their mind")
    assert refund.method == "manual" and refund.ended_access
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.refunded_amount == Decimal(PRICE)
    assert doors(bronze, course, gold_lesson, quiz_lesson) == ALL_SHUT
    assert CoursePurchase.objects.get(order=order).revoked_at is not None
    assert EmailLog.objects.filter(user=bronze, template="order_refunded").exists()


def test_refund_cannot_exceed_what_was_paid(bronze, admin_user, course):
    order = buy(bronze, course, admin_user)
    refunds.refund_order(order, Decimal(400_000), actor=admin_user, end_access=False)
    assert policy.owns_course(fresh(bronze), course)  # a partial goodwill refund keeps access
    with pytest.raises(orders.RefundFailed):
        refunds.refund_order(order, Decimal(600_000), actor=admin_user)
    refunds.refund_order(order, Decimal(590_000), actor=admin_user, end_access=False)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert not policy.owns_course(fresh(bronze), course)  # a full refund always ends it
    assert Refund.objects.filter(order=order).count() == 2


def test_the_learner_can_buy_again_after_a_refund(bronze, admin_user, course):
    order = buy(bronze, course, admin_user)
    refunds.refund_order(order, order.amount, actor=admin_user)
    buy(bronze, course, admin_user)
    assert policy.owns_course(fresh(bronze), course)


def test_an_owned_course_cannot_be_bought_twice(bronze, admin_user, course):
    buy(bronze, course, admin_user)
    with pytest.raises(orders.ValidationError, match="already own"):
        orders.place_course_order(fresh(bronze), course, "manual")


def test_ebook_attached_to_the_course_opens_to_its_buyers_only(
    bronze, silver, admin_user, course, ebooks, tiers
):
    attached = EbookPageFactory(parent=ebooks, required_tier=tiers["gold"], course=course)
    other = EbookPageFactory(parent=ebooks, required_tier=tiers["gold"])
    buy(bronze, course, admin_user)
    assert policy.can_download(fresh(bronze), attached)
    assert not policy.can_download(fresh(bronze), other)
    assert not policy.can_download(fresh(silver), attached)


def test_live_sessions_open_to_buyers_only_when_the_course_says_so(bronze, admin_user, course):
    buy(bronze, course, admin_user)
    assert not policy.can_join(fresh(bronze), course)
    course.purchase_includes_live = True
    course.save_revision().publish()
    course.refresh_from_db()
    assert policy.can_join(fresh(bronze), course)


def test_my_learning_shows_a_bought_course(bronze, admin_user, course):
    buy(bronze, course, admin_user)
    text = client_for(bronze).get("/learning/").content.decode()
    assert course.title in text and "Bought" in text


def test_buy_page_places_a_course_order_with_a_company_invoice(bronze, course):
    client = client_for(bronze)
    url = f"/membership/courses/{course.pk}/buy/"
    assert "990.000 ₫" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "action": "pay",
            "provider": "manual",
            "invoice_company": "Công ty TNHH Học Tốt",
            "invoice_tax_code": "0312345678",
            "invoice_address": "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh",
        },
    )
    order = bronze.orders.get()
    assert response.status_code == 302 and response["Location"] == f"/membership/orders/{order.reference}/"
    assert order.course == course and order.wants_invoice and order.invoice_tax_code == "0312345678"
    assert "Công ty TNHH Học Tốt" in client.get(response["Location"]).content.decode()
