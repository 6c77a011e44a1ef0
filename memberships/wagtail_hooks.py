from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from learning.admin_views import EbookDownloadViewSet

from .admin_policies import ReadOnlyPermissionPolicy
from .admin_subscriptions import SubscriptionViewSet, TierViewSet
from .admin_views import CouponViewSet, OrderViewSet, ReconciliationMismatchViewSet
from .gating import gate_page
from .models import Order, ReconciliationMismatch, Subscription

# Before any viewset asks for these models' policies, or Wagtail makes default ones.
register_permission_policy(Order, ReadOnlyPermissionPolicy(Order))  # view, confirm
register_permission_policy(Subscription, ReadOnlyPermissionPolicy(Subscription))  # grant/extend/revoke forms
register_permission_policy(ReconciliationMismatch, ReadOnlyPermissionPolicy(ReconciliationMismatch))  # view


# Runs after Wagtail's own privacy check (order 0), so page privacy keeps working.
@hooks.register("before_serve_page", order=10)
def check_membership(page, request, serve_args, serve_kwargs):
    return gate_page(page, request)


class MembershipsGroup(ViewSetGroup):
    menu_label = "Memberships"
    menu_icon = "group"
    menu_order = 300
    items = (
        TierViewSet("membership_tiers", url_prefix="memberships/tiers"),
        SubscriptionViewSet("membership_subscriptions", url_prefix="memberships/subscriptions"),
        OrderViewSet("membership_orders", url_prefix="memberships/orders"),
        CouponViewSet("membership_coupons", url_prefix="memberships/coupons"),
        ReconciliationMismatchViewSet("payment_mismatches", url_prefix="memberships/reconciliation"),
        EbookDownloadViewSet("ebook_downloads", url_prefix="learning/ebook-downloads"),
    )


@hooks.register("register_admin_viewset")
def register_memberships_admin():
    return MembershipsGroup()
