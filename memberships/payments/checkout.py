"""From a placed order to the page that takes the money."""

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Order, OrderStatus, PaymentProvider, Tier
from . import momo_provider, orders, stripe_provider, vnpay_provider
from .transport import GatewayError

logger = logging.getLogger(__name__)


class PaymentUnavailable(Exception):
    """The provider could not start a payment; the message is written for the learner."""


def available_providers() -> list[tuple[str, str]]:
    """The ways to pay offered at checkout: VNPay, MoMo and card when each is configured,
    bank transfer always."""
    choices = []
    if vnpay_provider.is_configured():
        choices.append((PaymentProvider.VNPAY.value, PaymentProvider.VNPAY.label))
    if momo_provider.is_configured():
        choices.append((PaymentProvider.MOMO.value, PaymentProvider.MOMO.label))
    if stripe_provider.is_configured():
        choices.append((PaymentProvider.STRIPE.value, PaymentProvider.STRIPE.label))
    choices.append((PaymentProvider.MANUAL.value, PaymentProvider.MANUAL.label))
    return choices


@dataclass(frozen=True)
class Checkout:
    order: Order
    pay_url: str  # where the learner goes next: a payment page, or the order's own page


def check_out(
    user,
    tier,
    provider: str,
    coupon_code: str,
    build_absolute_uri,
    client_ip: str = "",
    invoice: dict | None = None,
) -> Checkout:
    """Place the order and start its payment: the checkout page and the API both come here.

    `tier` is what is bought: a Tier (one period) or a course sold on its own (for life).
    `invoice` holds the company invoice details the buyer asked for (company, tax_code,
    address). Raises ValidationError (it cannot be bought, or `provider` is not offered),
    coupons.CouponError (a code that cannot be used) or PaymentUnavailable; every message
    is written for the learner.
    """
    if provider not in dict(available_providers()):
        raise ValidationError(_("Choose how you want to pay."), code="provider")
    place = orders.place_order if isinstance(tier, Tier) else orders.place_course_order
    order = place(user, tier, provider, coupon_code, invoice=invoice)
    return Checkout(order, start_payment(order, build_absolute_uri, client_ip))


def start_payment(order: Order, build_absolute_uri, client_ip: str = "") -> str:
    """The URL to send the learner to next: VNPay's or MoMo's payment page, Stripe
    Checkout, or the order's own page (bank transfer instructions, or a paid order a
    coupon made free)."""
    order_url = reverse("memberships:order", args=[order.reference])
    if order.status == OrderStatus.PAID or order.provider == PaymentProvider.MANUAL:
        return order_url
    if order.provider == PaymentProvider.VNPAY:
        return vnpay_provider.payment_url(
            order,
            return_url=build_absolute_uri(reverse("memberships:vnpay_return", args=[order.reference])),
            client_ip=client_ip,
        )
    if order.provider == PaymentProvider.MOMO:
        return _start_momo(order, build_absolute_uri)
    try:
        session = stripe_provider.create_checkout_session(
            order,
            success_url=build_absolute_uri(reverse("memberships:stripe_success", args=[order.reference])),
            cancel_url=build_absolute_uri(reverse("memberships:stripe_cancel", args=[order.reference])),
        )
    except stripe_provider.StripeError as error:
        logger.warning("stripe checkout for %s failed: %s", order.reference, error)
        orders.cancel(order)
        raise PaymentUnavailable(
            _(
                "The card payment service did not answer. Nothing was charged: try again, or pay by bank transfer."
            )
        ) from error
    orders.attach_provider_reference(order, session.id)
    return session.url


def _start_momo(order: Order, build_absolute_uri) -> str:
    try:
        return momo_provider.create_payment(
            order,
            redirect_url=build_absolute_uri(reverse("memberships:momo_return", args=[order.reference])),
            ipn_url=build_absolute_uri(reverse("memberships:momo_ipn")),
        )
    except GatewayError as error:
        logger.warning("momo payment for %s failed: %s", order.reference, error)
        orders.cancel(order)
        raise PaymentUnavailable(
            _("MoMo did not answer. Nothing was charged: try again, or choose another way to pay.")
        ) from error


def withdraw(order: Order) -> Order:
    """The learner gives up on an unpaid order. A card order's Stripe page is closed first,
    so nobody can pay for an order we have already cancelled."""
    if order.provider == PaymentProvider.STRIPE and order.provider_reference:
        try:
            stripe_provider.expire_checkout_session(order.provider_reference)
        except stripe_provider.StripeError as error:
            logger.warning("could not expire stripe session of %s: %s", order.reference, error)
            raise PaymentUnavailable(
                _(
                    "We could not close the card payment page. If you have already paid, your plan starts in a moment."
                )
            ) from error
    return orders.cancel(order)
