"""The memberships API: the same pricing, checkout, coupon and order rules as the site's
pages, through the same functions (`Tier.objects.offered`, `checkout.check_out`,
`coupons`, `policy.tier_of`). Orders are addressed by their public reference."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.errors import ApiError
from api.idempotency import idempotent
from api.schema import error_responses
from config.client_ip import client_ip

from .. import coupons, policy
from ..models import Order, OrderStatus, PaymentProvider, Subscription, Tier
from ..payments import manual_provider
from ..payments.checkout import PaymentUnavailable, check_out
from .serializers import (
    CheckoutResultSerializer,
    CheckoutSerializer,
    CouponCheckSerializer,
    CouponQuoteSerializer,
    MembershipTierSerializer,
    MySubscriptionSerializer,
    OrderSerializer,
)


class TierList(generics.ListAPIView):
    """The plans on offer, cheapest first, with their prices and what each includes."""

    permission_classes = [AllowAny]
    serializer_class = MembershipTierSerializer

    def get_queryset(self):
        user = self.request.user
        return Tier.objects.offered(policy.tier_of(user) if user.is_authenticated else None)


class MySubscription(generics.GenericAPIView):
    """The caller's tier now and the subscription that gives it (none on the free tier)."""

    serializer_class = MySubscriptionSerializer

    def get(self, request):
        tier = policy.tier_of(request.user)
        subscription = (
            Subscription.objects.current()
            .filter(user=request.user, tier=tier)
            .select_related("tier")
            .order_by(F("ends_at").desc(nulls_first=True))
            .first()
        )
        return Response(self.get_serializer({"tier": tier, "subscription": subscription}).data)


REDIRECT_METHODS = {
    PaymentProvider.STRIPE: "stripe_checkout",
    PaymentProvider.VNPAY: "vnpay",
    PaymentProvider.MOMO: "momo",
}


def _coupon_refusal(error: coupons.CouponError) -> ApiError:
    return ApiError(
        status.HTTP_422_UNPROCESSABLE_ENTITY,
        f"coupon_{error.code}",
        error.messages[0],
        {"fields": {"coupon": error.messages}},
    )


def _payment(order: Order, pay_url: str) -> dict:
    """Where to pay: the gateway's page (Stripe Checkout, VNPay, MoMo), the bank details,
    or nothing when a coupon already paid the order."""
    if order.status == OrderStatus.PAID:
        return {"method": "none", "url": None, "bank_transfer": None}
    if order.provider != PaymentProvider.MANUAL:
        return {"method": REDIRECT_METHODS[order.provider], "url": pay_url, "bank_transfer": None}
    bank = manual_provider.instructions(order)
    return {
        "method": "bank_transfer",
        "url": None,
        "bank_transfer": {
            "details": bank.details,
            "amount": bank.amount,
            "currency": bank.currency,
            "reference": bank.reference,
        },
    }


class CheckoutView(generics.GenericAPIView):
    """Place an order for one period of a tier, or for a course sold on its own, and learn
    where to pay it."""

    serializer_class = CheckoutSerializer

    @extend_schema(
        request=CheckoutSerializer,
        responses={201: CheckoutResultSerializer, **error_responses(409, 503)},
        description=(
            "Places a pending order (the coupon, if any, is redeemed at once) and answers where "
            "to pay: the payment page to open (`stripe_checkout`, `vnpay`, `momo`: `url`), or "
            "bank-transfer instructions (account, amount, reference). An order a coupon makes "
            "free is paid at once (`method: none`). Only the provider's signed notification "
            "confirms a payment, never the learner coming back. "
            "409 `tier_included` / `tier_free` / `tier_inactive`: the tier cannot be bought now; "
            "409 `course_not_for_sale` / `course_owned`: the course cannot be bought now; "
            "422 `coupon_*`: the code cannot be used; 503 `payment_unavailable`: the card "
            "service did not answer (nothing was charged)."
        ),
    )
    @idempotent
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        product = data.get("tier") or data["course"]
        try:
            checkout = check_out(
                request.user,
                product,
                data["provider"],
                data["coupon"],
                request.build_absolute_uri,
                client_ip(request._request) or "",
                invoice=data["invoice"],
            )
        except coupons.CouponError as error:
            raise _coupon_refusal(error) from error
        except ValidationError as error:
            if error.code == "provider":
                raise ApiError(
                    status.HTTP_422_UNPROCESSABLE_ENTITY,
                    "provider_unavailable",
                    error.messages[0],
                    {"fields": {"provider": error.messages}},
                ) from error
            kind = "tier" if "tier" in data else "course"
            raise ApiError(status.HTTP_409_CONFLICT, f"{kind}_{error.code}", error.messages[0]) from error
        except PaymentUnavailable as error:
            raise ApiError(status.HTTP_503_SERVICE_UNAVAILABLE, "payment_unavailable", str(error)) from error
        order = checkout.order
        body = {"order": order, "payment": _payment(order, checkout.pay_url)}
        return Response(CheckoutResultSerializer(body).data, status=status.HTTP_201_CREATED)


class CouponCheck(generics.GenericAPIView):
    """What a coupon takes off a tier for the caller, before ordering. Nothing is used up."""

    serializer_class = CouponCheckSerializer
    throttle_scope = "coupon"

    @extend_schema(request=CouponCheckSerializer, responses={200: CouponQuoteSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tier = serializer.validated_data["tier"]
        try:
            coupon = coupons.validate(serializer.validated_data["code"], request.user, tier)
        except coupons.CouponError as error:
            raise _coupon_refusal(error) from error
        price = coupons.price_with(tier, coupon)
        quote = {
            "code": coupon.code,
            "tier": tier.slug,
            "list_price": price.amount + price.discount,
            "discount": price.discount,
            "amount": price.amount,
            "currency": tier.currency,
        }
        return Response(CouponQuoteSerializer(quote).data)


def _my_orders(request):
    return (
        Order.objects.filter(user=request.user)
        .select_related("tier", "coupon")
        .prefetch_related("items__tier")
        .order_by("-created_at", "-pk")
    )


class OrderList(generics.ListAPIView):
    """The caller's orders, newest first."""

    serializer_class = OrderSerializer

    def get_queryset(self):
        return _my_orders(self.request)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("The order's reference.")
        )
    ]
)
class OrderDetail(generics.RetrieveAPIView):
    """One of the caller's orders; anyone else's answers 404."""

    serializer_class = OrderSerializer
    lookup_field = "reference"

    def get_queryset(self):
        return _my_orders(self.request)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), reference=self.kwargs["reference"])
