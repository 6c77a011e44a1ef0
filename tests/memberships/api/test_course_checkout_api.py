"""Buying one course over the API: the same order, coupon and confirmation path as the
site's buy page, and the course opens once the order is confirmed."""

from wagtail.models import PageViewRestriction

import pytest
from rest_framework.test import APIClient

from memberships import policy
from memberships.models import Order, OrderStatus
from memberships.payments import manual_provider

from ...api.clients import assert_error, client_for
from ...media_pipeline.playback_support import lesson_with_video

pytestmark = pytest.mark.django_db

PRICE = 990_000
CHECKOUT = "/api/v1/memberships/checkout/"


@pytest.fixture
def course(catalog, tiers):
    lesson = lesson_with_video(catalog, tier=tiers["gold"], heights=(360, 720))
    course = lesson.course
    course.price = PRICE
    course.save_revision().publish()
    return course


def _buy(user, course, **extra):
    body = {"course": course.pk, "provider": "manual", **extra}
    client = client_for(user) if user is not None else APIClient()
    return client.post(CHECKOUT, body, format="json")


def test_a_bronze_learner_orders_a_course_by_transfer_and_owns_it_once_confirmed(bronze, course, admin_user):
    response = _buy(bronze, course, invoice={"company": "Công ty TNHH Ví Dụ", "tax_code": "0312345678"})
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get(reference=body["order"]["reference"])
    assert order.user == bronze and order.status == OrderStatus.PENDING
    assert body["order"]["amount"] == f"{PRICE}.00"
    assert body["payment"]["method"] == "bank_transfer"
    assert order.invoice_company == "Công ty TNHH Ví Dụ" and order.invoice_tax_code == "0312345678"
    assert not policy.owns_course(type(bronze).objects.get(pk=bronze.pk), course)

    manual_provider.confirm(order, actor=admin_user)
    assert policy.owns_course(type(bronze).objects.get(pk=bronze.pk), course)
    assert_error(_buy(bronze, course), 409, "course_owned")


def test_a_course_not_sold_on_its_own_is_409(bronze, course):
    course.price = None
    course.save_revision().publish()
    assert_error(_buy(bronze, course), 409, "course_not_for_sale")
    assert not Order.objects.exists()


def test_tier_and_course_together_or_neither_is_422(bronze, course, tiers):
    assert_error(_buy(bronze, course, tier="gold"), 422, "validation_error")
    response = client_for(bronze).post(CHECKOUT, {"provider": "manual"}, format="json")
    assert_error(response, 422, "validation_error")


def test_an_unknown_or_draft_course_is_422_naming_the_field(bronze, course):
    course.unpublish()
    error = assert_error(_buy(bronze, course), 422, "validation_error")
    assert "course" in error["details"]["fields"]


def test_an_invoice_needs_the_company_and_its_tax_code(bronze, course):
    error = assert_error(_buy(bronze, course, invoice={"company": "Công ty"}), 422, "validation_error")
    assert "invoice" in error["details"]["fields"]


def test_anonymous_cannot_buy_a_course(course):
    assert_error(_buy(None, course), 401, "not_authenticated")


def test_a_private_course_cannot_be_bought(bronze, course):
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    error = assert_error(_buy(bronze, course), 422, "validation_error")
    assert "course" in error["details"]["fields"]
    assert not Order.objects.exists()
