from django.urls import path

from . import views

urlpatterns = [
    path("tiers/", views.TierList.as_view(), name="membership_tiers"),
    path("subscription/", views.MySubscription.as_view(), name="membership_subscription"),
    path("checkout/", views.CheckoutView.as_view(), name="membership_checkout"),
    path("coupons/check/", views.CouponCheck.as_view(), name="membership_coupon_check"),
    path("orders/", views.OrderList.as_view(), name="membership_orders"),
    path("orders/<slug:reference>/", views.OrderDetail.as_view(), name="membership_order"),
]
