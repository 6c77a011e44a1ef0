from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy

from .admin_views import CouponViewSet, OrderPermissionPolicy, OrderViewSet
from .gating import gate_page
from .models import Order

# Before any viewset asks for Order's policy, or Wagtail makes a default one.
register_permission_policy(Order, OrderPermissionPolicy(Order))


# Runs after Wagtail's own privacy check (order 0), so page privacy keeps working.
@hooks.register("before_serve_page", order=10)
def check_membership(page, request, serve_args, serve_kwargs):
    return gate_page(page, request)


class MembershipsGroup(ViewSetGroup):
    # Orders and coupons so far; the Tier and Subscription viewsets join this group too.
    menu_label = "Memberships"
    menu_icon = "group"
    menu_order = 300
    items = (
        OrderViewSet("membership_orders", url_prefix="memberships/orders"),
        CouponViewSet("membership_coupons", url_prefix="memberships/coupons"),
    )


@hooks.register("register_admin_viewset")
def register_memberships_admin():
    return MembershipsGroup()
