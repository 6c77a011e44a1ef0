"""Public membership pages: pricing, and the learner's own membership."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import policy
from .models import Order, Subscription, Tier


def pricing(request):
    current = policy.tier_of(request.user) if request.user.is_authenticated else None
    return render(
        request,
        "memberships/pricing.html",
        {
            "tiers": list(Tier.objects.offered(current)),
            "current_tier": current,
            "highlight": request.GET.get("tier", ""),
        },
    )


@login_required
def my_membership(request):
    subscriptions = Subscription.objects.filter(user=request.user).select_related("tier")
    orders = Order.objects.filter(user=request.user).select_related("tier").order_by("-created_at")[:20]
    return render(
        request,
        "memberships/my_membership.html",
        {"current_tier": policy.tier_of(request.user), "subscriptions": subscriptions, "orders": orders},
    )
