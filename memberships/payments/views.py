"""The learner's checkout and order pages, and Stripe's webhook endpoint.

The pages only read orders; every change goes through `orders`. Coming back from Stripe
never activates anything: only the signed webhook does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .. import coupons
from ..models import Order, Tier
from . import manual_provider, orders, stripe_provider
from .checkout import PaymentUnavailable, start_payment, withdraw
from .forms import CheckoutForm
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

    form = CheckoutForm(request.POST or None, user=request.user, tier=tier)
    if form.wants_to_pay and form.is_valid():
        try:
            order = orders.place_order(
                request.user, tier, form.cleaned_data["provider"], form.cleaned_data["coupon"]
            )
            return redirect(start_payment(order, request.build_absolute_uri))
        except coupons.CouponError as error:
            form.add_error("coupon", error)
        except ValidationError as error:
            form.add_error(None, error)
        except PaymentUnavailable as error:
            form.add_error(None, str(error))
    return render(request, "memberships/checkout.html", {"tier": tier, "form": form, "price": form.price})


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


def _own_order(request, reference) -> Order:
    """The order if it is the requester's; 404 for anyone else's, so references cannot be probed."""
    return get_object_or_404(
        Order.objects.select_related("tier", "coupon"), reference=reference, user=request.user
    )
