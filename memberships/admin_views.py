"""Wagtail admin for orders and coupons (registered from wagtail_hooks.py).

Orders are records of money: staff read, search and filter them, and confirm bank
transfers, but never add, edit or delete one by hand — state changes go through
`memberships.payments.orders`, which grants the subscription and mails the receipt.
"""

from django import forms
from django.contrib.admin.utils import quote, unquote
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from audit.changes import log_change, snapshot

from .models import Coupon, CouponKind, Order, OrderStatus, ReconciliationMismatch
from .money import format_money
from .payments import manual_provider, refunds
from .payments.orders import OrderError, RefundFailed


def _money(field):
    return lambda order: format_money(getattr(order, field), order.currency)


class OrderIndexView(IndexView):
    confirm_url_name = None
    refund_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.awaits_bank_transfer and self.user_has_permission("confirm"):
            buttons.append(
                ListingButton(
                    _("Confirm bank transfer"),
                    url=reverse(self.confirm_url_name, args=[quote(instance.pk)]),
                    icon_name="check",
                    priority=5,
                )
            )
        if instance.refundable_amount > 0 and self.user_has_permission("refund"):
            buttons.append(
                ListingButton(
                    _("Refund"),
                    url=reverse(self.refund_url_name, args=[quote(instance.pk)]),
                    icon_name="undo",
                    priority=6,
                )
            )
        return buttons


# What an entry in Site history shows changing when a transfer is confirmed.
ORDER_AUDITED_FIELDS = ["status", "provider_reference", "paid_at", "confirmed_by", "subscription"]


class ConfirmBankTransferView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks "did this transfer arrive?"; POST confirms it. Confirming an order that is
    already paid changes nothing."""

    model = Order
    permission_required = "confirm"
    index_url_name = None
    header_icon = "check"
    page_title = gettext_lazy("Confirm bank transfer")
    template_name = "memberships/admin/confirm_bank_transfer.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            Order.objects.select_related("tier", "user", "coupon"), pk=unquote(str(kwargs["pk"]))
        )

    def get_page_subtitle(self):
        return self.object.reference

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": Order._meta.verbose_name_plural.capitalize()},
            {"url": "", "label": self.get_page_title(), "sublabel": self.object.reference},
        ]

    def get(self, request, *args, **kwargs):
        if not self.object.awaits_bank_transfer:
            messages.warning(request, self._not_pending_message())
            return redirect(self.index_url_name)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.object.awaits_bank_transfer:
            messages.warning(request, self._not_pending_message())
            return redirect(self.index_url_name)
        before = snapshot(self.object, ORDER_AUDITED_FIELDS)
        try:
            order = manual_provider.confirm(
                self.object,
                actor=request.user,
                bank_reference=request.POST.get("bank_reference", "").strip()[:255],
            )
        except OrderError as error:
            messages.error(request, str(error))
            return redirect(self.index_url_name)
        log_change(
            order,
            "memberships.order.confirm_transfer",
            user=request.user,
            before=before,
            fields=ORDER_AUDITED_FIELDS,
        )
        messages.success(
            request,
            _("%(reference)s confirmed: %(email)s now has %(what)s. Receipt sent.")
            % {"reference": order.reference, "email": order.email, "what": order.description},
        )
        return redirect(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            order=self.object,
            amount=format_money(self.object.amount, self.object.currency),
            cancel_url=reverse(self.index_url_name),
        )
        return context

    def _not_pending_message(self) -> str:
        return _("%(reference)s is not awaiting a bank transfer (status: %(status)s); nothing changed.") % {
            "reference": self.object.reference,
            "status": self.object.get_status_display(),
        }


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount to refund"), min_value=1, decimal_places=2)
    reason = forms.CharField(
        label=gettext_lazy("Reason (the learner does not see it)"), max_length=300, required=False
    )
    end_access = forms.BooleanField(
        label=gettext_lazy("End the access this order bought"),
        required=False,
        initial=True,
        help_text=gettext_lazy("A full refund always ends it. Untick only for a partial goodwill refund."),
    )


class RefundOrderView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Refund all or part of a paid order: through the provider's refund API where it has
    one, else recorded as paid back by hand (bank transfer)."""

    model = Order
    permission_required = "refund"
    index_url_name = None
    header_icon = "undo"
    page_title = gettext_lazy("Refund order")
    template_name = "memberships/admin/refund_order.html"
    form_class = RefundForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            Order.objects.select_related("tier", "user", "coupon"), pk=unquote(str(kwargs["pk"]))
        )

    def get_page_subtitle(self):
        return self.object.reference

    def get_initial(self):
        return {"amount": self.object.refundable_amount, "end_access": True}

    def dispatch(self, request, *args, **kwargs):
        if self.object.refundable_amount <= 0:
            messages.warning(
                request, _("%(reference)s has nothing left to refund.") % {"reference": self.object.reference}
            )
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            refund = refunds.refund_order(
                self.object,
                form.cleaned_data["amount"],
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
                end_access=form.cleaned_data["end_access"],
            )
        except RefundFailed as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Refunded %(amount)s of %(reference)s (%(method)s). The learner has been told.")
            % {
                "amount": format_money(refund.amount, self.object.currency),
                "reference": self.object.reference,
                "method": refund.get_method_display(),
            },
        )
        return redirect(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            order=self.object,
            left=format_money(self.object.refundable_amount, self.object.currency),
            manual=refunds.refunder_for(self.object.provider) is None,
            cancel_url=reverse(self.index_url_name),
        )
        return context


class OrderViewSet(ModelViewSet):
    model = Order
    icon = "form"
    menu_label = gettext_lazy("Orders")
    add_to_admin_menu = False
    index_view_class = OrderIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # no add or edit form is ever shown: the policy allows neither
    list_per_page = 50
    search_fields = [
        "reference",
        "email",
        "user__email",
        "provider_reference",
        "invoice_company",
        "invoice_tax_code",
    ]
    list_filter = ["status", "provider", "tier", "created_at"]
    list_export = [
        "reference",
        "email",
        "tier",
        "list_price",
        "discount",
        "amount",
        "currency",
        "provider",
        "status",
        "provider_reference",
        "created_at",
        "paid_at",
    ]
    inspect_view_fields = [
        "reference",
        "email",
        "user",
        "tier",
        "list_price",
        "discount",
        "amount",
        "currency",
        "coupon",
        "provider",
        "status",
        "provider_reference",
        "created_at",
        "paid_at",
        "closed_at",
        "confirmed_by",
        "subscription",
        "refunded_amount",
        "invoice_company",
        "invoice_tax_code",
        "invoice_address",
    ]

    @cached_property
    def list_display(self):
        return [
            "reference",
            "email",
            "tier",
            Column("amount", label=_("Amount"), accessor=_money("amount"), sort_key="amount"),
            "provider",
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                sort_key="status",
                primary=lambda order: order.status == OrderStatus.PAID,
            ),
            DateColumn("created_at", label=_("Placed"), sort_key="created_at"),
        ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            confirm_url_name=self.get_url_name("confirm"),
            refund_url_name=self.get_url_name("refund"),
            **kwargs,
        )

    def get_permissions_to_register(self):
        """Only what the policy honours: view and confirm (add/change/delete never apply)."""
        return (
            super()
            .get_permissions_to_register()
            .filter(codename__in=["view_order", "confirm_order", "refund_order"])
        )

    @property
    def confirm_view(self):
        return self.construct_view(ConfirmBankTransferView)

    @property
    def refund_view(self):
        return self.construct_view(RefundOrderView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("confirm/<str:pk>/", self.confirm_view, name="confirm"),
            path("refund/<str:pk>/", self.refund_view, name="refund"),
        ]


def _coupon_discount(coupon: Coupon) -> str:
    if coupon.kind == CouponKind.PERCENT:
        return f"{coupon.value.normalize():f} %"
    return format_money(coupon.value, coupon.currency or "VND")


def _coupon_usage(coupon: Coupon) -> str:
    limit = coupon.max_redemptions if coupon.max_redemptions is not None else "∞"
    return f"{coupon.times_redeemed} / {limit}"


class CouponViewSet(ModelViewSet):
    model = Coupon
    icon = "tag"
    menu_label = gettext_lazy("Coupons")
    add_to_admin_menu = False
    copy_view_enabled = False
    search_fields = ["code", "description"]
    list_filter = ["active", "kind", "tiers", "valid_until"]
    form_fields = [
        "code",
        "description",
        "kind",
        "value",
        "currency",
        "valid_from",
        "valid_until",
        "max_redemptions",
        "per_user_limit",
        "tiers",
        "active",
    ]

    @cached_property
    def list_display(self):
        return [
            "code",
            Column("discount", label=_("Discount"), accessor=_coupon_discount),
            Column("usage", label=_("Used"), accessor=_coupon_usage, sort_key="times_redeemed"),
            DateColumn("valid_until", label=_("Valid until"), sort_key="valid_until"),
            StatusTagColumn(
                "active",
                label=_("Active"),
                accessor=lambda c: _("Active") if c.active else _("Off"),
                primary=lambda c: c.active,
            ),
        ]


class ReconciliationMismatchViewSet(ModelViewSet):
    """What the daily reconciliation found: read here, dealt with at the provider."""

    model = ReconciliationMismatch
    icon = "warning"
    menu_label = gettext_lazy("Reconciliation")
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    list_per_page = 50
    search_fields = ["reference", "detail"]
    list_filter = ["provider", "kind", "day"]
    inspect_view_fields = [
        "day",
        "provider",
        "reference",
        "order",
        "kind",
        "our_amount",
        "provider_amount",
        "detail",
        "found_at",
    ]

    @cached_property
    def list_display(self):
        return [
            DateColumn("day", label=_("Day"), sort_key="day"),
            "provider",
            "reference",
            StatusTagColumn("kind", label=_("Difference"), accessor="get_kind_display", sort_key="kind"),
            Column("our_amount", label=_("Ours"), accessor=_optional_vnd("our_amount")),
            Column("provider_amount", label=_("Provider's"), accessor=_optional_vnd("provider_amount")),
            "detail",
        ]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="view_reconciliationmismatch")


def _optional_vnd(field):
    def show(mismatch):
        value = getattr(mismatch, field)
        currency = mismatch.order.currency if mismatch.order_id else "VND"
        return format_money(value, currency) if value is not None else "—"

    return show
