from django.urls import path

from . import views
from .payments import views as payment_views

app_name = "memberships"

urlpatterns = [
    path("", views.pricing, name="pricing"),
    path("mine/", views.my_membership, name="mine"),
    # Payments
    path("checkout/<slug:tier_slug>/", payment_views.checkout, name="checkout"),
    path("courses/<int:course_id>/buy/", payment_views.buy_course, name="buy_course"),
    path("orders/<str:reference>/", payment_views.order_detail, name="order"),
    path("orders/<str:reference>/receipt.pdf", payment_views.receipt_pdf, name="receipt"),
    path("orders/<str:reference>/cancel/", payment_views.cancel_order, name="cancel_order"),
    path("orders/<str:reference>/stripe/success/", payment_views.stripe_success, name="stripe_success"),
    path("orders/<str:reference>/stripe/cancel/", payment_views.stripe_cancel, name="stripe_cancel"),
    path("stripe/webhook/", payment_views.stripe_webhook, name="stripe_webhook"),
    path("orders/<str:reference>/vnpay/return/", payment_views.vnpay_return, name="vnpay_return"),
    path("vnpay/ipn/", payment_views.vnpay_ipn, name="vnpay_ipn"),
    path("orders/<str:reference>/momo/return/", payment_views.momo_return, name="momo_return"),
    path("momo/ipn/", payment_views.momo_ipn, name="momo_ipn"),
]
