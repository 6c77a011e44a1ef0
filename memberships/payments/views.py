"""The learner's checkout and order pages, Stripe's webhook and VNPay's and MoMo's IPNs.

The pages only read orders; every change goes through `orders`. Coming back from Stripe,
VNPay or MoMo never activates anything: only the signed webhook or IPN does.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from config.client_ip import client_ip
from learning.models import CoursePage

from .. import coupons
from ..models import Order, PaymentProvider, Tier
from . import manual_provider, momo_provider, orders, receipts, stripe_provider, vnpay_provider
from .checkout import PaymentUnavailable, check_out, withdraw
from .forms import CheckoutForm
from .gateway_ipn import MomoIpn, VnpayIpn
from .webhooks import StripeWebhookHandler


@login_required
@never_cache
def checkout(request, tier_slug):
    tier = Tier.objects.filter(slug=tier_slug).first()
    if tier is None:
        messages.error(
            request, _("There is no plan called “%(slug)s”. Pick one below.") % {"slug": tier_slug}
        )
        return redirect("memberships:pricing")
    try:
        orders.check_purchasable(request.user, tier)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("memberships:pricing")

    context = {
        "title": _("Get %(tier)s") % {"tier": tier.name},
        "eyebrow": _("Membership"),
        "line_label": _("%(tier)s membership, %(period)s")
        % {"tier": tier.name, "period": tier.get_billing_period_display().lower()},
        "back_url": reverse("memberships:pricing"),
        "back_label": _("Back to plans"),
    }
    return _checkout(request, tier, context)


@login_required
@never_cache
def buy_course(request, course_id):
    course = get_object_or_404(CoursePage.objects.live().select_related("required_tier"), pk=course_id)
    try:
        orders.check_course_purchasable(request.user, course)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect(course.url)
    context = {
        "title": _("Buy “%(course)s”") % {"course": course.title},
        "eyebrow": _("Course"),
        "line_label": _("“%(course)s”, yours for life") % {"course": course.title},
        "back_url": course.url,
        "back_label": _("Back to the course"),
    }
    return _checkout(request, course, context)


def _checkout(request, product, context):
    """The checkout page for one product (a Tier or a course): apply a coupon, or pay."""
    form = CheckoutForm(request.POST or None, user=request.user, tier=product)
    if form.wants_to_pay and form.is_valid():
        try:
            checkout = check_out(
                request.user,
                product,
                form.cleaned_data["provider"],
                form.cleaned_data["coupon"],
                request.build_absolute_uri,
                client_ip(request) or "",
                invoice=form.invoice,
            )
            return redirect(checkout.pay_url)
        except coupons.CouponError as error:
            form.add_error("coupon", error)
        except ValidationError as error:
            form.add_error(None, error)
        except PaymentUnavailable as error:
            form.add_error(None, str(error))
    context.update(tier=product, form=form, price=form.price)
    return render(request, "memberships/checkout.html", context)


@login_required
def receipt_pdf(request, reference):
    """The receipt of a paid order, for its buyer only."""
    order = _own_order(request, reference)
    if not order.has_receipt:
        raise Http404
    response = HttpResponse(receipts.render_receipt(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipts.filename(order)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@never_cache
def order_detail(request, reference):
    order = _own_order(request, reference)
    bank = manual_provider.instructions(order) if order.awaits_bank_transfer else None
    return render(request, "memberships/order_detail.html", {"order": order, "bank": bank})


@login_required
@require_POST
def cancel_order(request, reference):
    order = _own_order(request, reference)
    if order.is_pending:
        try:
            withdraw(order)
        except (PaymentUnavailable, orders.OrderError):
            messages.error(
                request,
                _(
                    "This order could not be cancelled. If you have already paid, your plan starts in a moment."
                ),
            )
        else:
            messages.success(request, _("Order %(reference)s is cancelled.") % {"reference": order.reference})
    return redirect("memberships:order", reference=order.reference)


@login_required
@never_cache
def stripe_success(request, reference):
    order = _own_order(request, reference)
    return render(request, "memberships/stripe_success.html", {"order": order})


@login_required
@never_cache
def stripe_cancel(request, reference):
    order = _own_order(request, reference)
    return render(request, "memberships/stripe_cancel.html", {"order": order})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe_provider.construct_event(request.body, request.headers.get("Stripe-Signature"))
    except (stripe_provider.SignatureVerificationError, ValueError):
        return HttpResponseBadRequest("Invalid payload or signature.")
    outcome = StripeWebhookHandler(event).handle()
    # Any 2xx tells Stripe to stop retrying, duplicates and unknown types included.
    return JsonResponse({"received": True, "outcome": outcome})


@login_required
@never_cache
def vnpay_return(request, reference):
    """Where VNPay sends the learner back. It says what VNPay told the browser (when the
    signature holds) and what we know, and waits for the IPN; it confirms nothing."""
    order = _own_order(request, reference, PaymentProvider.VNPAY)
    signed = vnpay_provider.verify(request.GET) and request.GET.get("vnp_TxnRef") == order.reference
    gateway_says_paid = signed and request.GET.get("vnp_ResponseCode") == "00"
    return _gateway_return(request, order, signed, gateway_says_paid, "VNPay")


@login_required
@never_cache
def momo_return(request, reference):
    """Where MoMo sends the learner back; like VNPay's, it only reads."""
    order = _own_order(request, reference, PaymentProvider.MOMO)
    data = request.GET.dict()
    if "resultCode" in data and data["resultCode"].lstrip("-").isdigit():
        data["resultCode"] = int(data["resultCode"])
    signed = momo_provider.verify_ipn(data) and data.get("orderId") == order.reference
    gateway_says_paid = signed and data.get("resultCode") == 0
    return _gateway_return(request, order, signed, gateway_says_paid, "MoMo")


def _gateway_return(request, order, signed, gateway_says_paid, gateway):
    context = {
        "order": order,
        "gateway": gateway,
        "signed": signed,
        "gateway_says_paid": gateway_says_paid,
        "gateway_says_failed": signed and not gateway_says_paid,
    }
    return render(request, "memberships/gateway_return.html", context)


@csrf_exempt
@require_GET
def vnpay_ipn(request):
    """VNPay's IPN (a GET with the signed result); the answer is VNPay's RspCode JSON."""
    return JsonResponse(VnpayIpn(request.GET.dict()).answer())


@csrf_exempt
@require_POST
def momo_ipn(request):
    """MoMo's IPN (a POST of signed JSON); 204 tells MoMo it need not send it again."""
    try:
        data = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("Not JSON.")
    if not isinstance(data, dict):
        return HttpResponseBadRequest("Not a JSON object.")
    outcome, status = MomoIpn(data).status()
    if status == 204:
        return HttpResponse(status=204)
    return JsonResponse({"outcome": outcome.value}, status=status)


def _own_order(request, reference, provider: str | None = None) -> Order:
    """The order if it is the requester's; 404 for anyone else's, so references cannot be probed."""
    found = (
        Order.objects.select_related("tier", "coupon")
        .prefetch_related("items__course", "items__tier")
        .filter(reference=reference, user=request.user)
    )
    if provider is not None:
        found = found.filter(provider=provider)
    return get_object_or_404(found)
