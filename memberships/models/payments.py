"""Orders and their items, refunds, coupons and the payment providers' webhook log.

An Order is what a learner agreed to pay; its items say for what (one period of a tier,
or one course for life). It grants them only when the money is confirmed (a provider's
signed notification, or staff confirming a bank transfer). Orders are financial records: they keep their numbers even if the
learner deletes their account (user becomes NULL, the email snapshot stays), so revenue
reports never change after the fact.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

ORDER_REFERENCE_PREFIX = "LCT-ORD-"
# No 0/O or 1/I/L: the reference is typed by hand into a bank transfer note.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_order_reference() -> str:
    return ORDER_REFERENCE_PREFIX + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class ItemKind(models.TextChoices):
    TIER = "tier", _("Membership period")
    COURSE = "course", _("Course")


class PaymentProvider(models.TextChoices):
    """How an order is paid. Values match `Subscription.provider` for the same providers."""

    STRIPE = "stripe", _("Card (Stripe)")
    MANUAL = "manual", _("Bank transfer")
    VNPAY = "vnpay", _("VNPay (ATM card, QR, bank app)")
    MOMO = "momo", _("MoMo e-wallet")


class Order(models.Model):
    reference = models.CharField(
        max_length=20,
        unique=True,
        editable=False,
        default=new_order_reference,
        help_text=_("Public reference the learner quotes (and puts in a bank transfer note)."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="orders"
    )
    email = models.EmailField(help_text=_("The buyer's email when ordering; kept if the account goes."))
    tier = models.ForeignKey(
        "memberships.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        help_text=_("The plan, for an order of a membership period (empty for a course)."),
    )
    list_price = models.DecimalField(max_digits=12, decimal_places=2)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text=_("What the learner pays."))
    currency = models.CharField(max_length=3)
    coupon = models.ForeignKey(
        "memberships.Coupon", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    provider = models.CharField(max_length=10, choices=PaymentProvider.choices)
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    provider_reference = models.CharField(
        max_length=255,
        blank=True,
        help_text=_(
            "Stripe Checkout Session id, VNPay's transaction number, MoMo's transId, "
            "or the bank's transaction reference."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text=_("When it failed or was cancelled."))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Staff member who confirmed a bank transfer."),
    )
    subscription = models.ForeignKey(
        "memberships.Subscription", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    refunded_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    # A company invoice (hóa đơn công ty) the buyer asked for; staff issue it from these.
    invoice_company = models.CharField(_("company name"), max_length=200, blank=True)
    invoice_tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    invoice_address = models.CharField(_("company address"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "provider"]),
            models.Index(fields=["provider_reference"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_amount_not_negative"),
        ]
        permissions = [("confirm_order", "Can confirm bank transfers"), ("refund_order", "Can refund orders")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_pending(self) -> bool:
        return self.status == OrderStatus.PENDING

    @property
    def awaits_bank_transfer(self) -> bool:
        return self.is_pending and self.provider == PaymentProvider.MANUAL

    @property
    def wants_invoice(self) -> bool:
        return bool(self.invoice_company or self.invoice_tax_code)

    @property
    def has_receipt(self) -> bool:
        """Every order that was paid has a receipt, refunded or not."""
        return self.paid_at is not None

    @property
    def refundable_amount(self) -> Decimal:
        return self.amount - self.refunded_amount if self.paid_at else Decimal("0")

    @cached_property
    def course(self):
        """The course a course order bought (None for a membership order)."""
        item = next((item for item in self.items.all() if item.kind == ItemKind.COURSE), None)
        return item.course if item else None

    @property
    def order_again_url(self) -> str:
        if self.course is not None:
            return reverse("memberships:buy_course", args=[self.course.pk])
        return (
            reverse("memberships:checkout", args=[self.tier.slug])
            if self.tier
            else reverse("memberships:pricing")
        )

    @property
    def description(self) -> str:
        """What was bought, in a few words (for pages, providers and receipts)."""
        return ", ".join(item.name for item in self.items.all()) or str(self.tier or "")


class OrderItem(models.Model):
    """One thing an order pays for: a period of a tier, or a course for life."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    tier = models.ForeignKey(
        "memberships.Tier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(
        "learning.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="order_items"
    )
    name = models.CharField(max_length=255, help_text=_("What it was called when bought."))
    list_price = models.DecimalField(max_digits=12, decimal_places=2)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="tier", tier__isnull=False, course__isnull=True))
                | (Q(kind="course", course__isnull=False, tier__isnull=True)),
                name="order_item_names_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RefundMethod(models.TextChoices):
    PROVIDER = "provider", _("Through the payment provider")
    MANUAL = "manual", _("Paid back by hand (bank transfer)")


class Refund(models.Model):
    """Money given back on a paid order, all or part of it."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    method = models.CharField(max_length=10, choices=RefundMethod.choices)
    provider_reference = models.CharField(max_length=255, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    ended_access = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.order} −{self.amount}"


class CouponKind(models.TextChoices):
    PERCENT = "percent", _("Percent off")
    FIXED = "fixed", _("Fixed amount off")


class Coupon(models.Model):
    code = models.CharField(max_length=40, help_text=_("What learners type. Matched without regard to case."))
    description = models.CharField(
        max_length=200, blank=True, help_text=_("For staff: what the code is for.")
    )
    kind = models.CharField(max_length=10, choices=CouponKind.choices, default=CouponKind.PERCENT)
    value = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Percent (1–100) or an amount in the coupon's currency."),
    )
    currency = models.CharField(
        max_length=3, blank=True, help_text=_("Required for a fixed amount, e.g. VND.")
    )
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    max_redemptions = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Total uses allowed; empty means unlimited.")
    )
    per_user_limit = models.PositiveIntegerField(
        null=True, blank=True, default=1, help_text=_("Uses per learner; empty means unlimited.")
    )
    times_redeemed = models.PositiveIntegerField(default=0, editable=False)
    active = models.BooleanField(default=True)
    tiers = models.ManyToManyField(
        "memberships.Tier",
        blank=True,
        related_name="coupons",
        help_text=_("Only these plans. With neither plans nor courses chosen, it applies to everything."),
    )
    courses = models.ManyToManyField(
        "learning.CoursePage",
        blank=True,
        related_name="coupons",
        help_text=_("Only these courses bought on their own."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="coupon_code_unique_ci",
                violation_error_message=_("A coupon with this code already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self):
        super().clean()
        self.code = self.code.strip().upper()
        self.currency = self.currency.strip().upper()
        if self.kind == CouponKind.PERCENT and self.value is not None and self.value > 100:
            raise ValidationError({"value": _("A percentage cannot be more than 100.")})
        if self.kind == CouponKind.FIXED and not self.currency:
            raise ValidationError({"currency": _("Say which currency the fixed amount is in.")})
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": _("The end must be after the start.")})

    @property
    def is_used_up(self) -> bool:
        return self.max_redemptions is not None and self.times_redeemed >= self.max_redemptions

    def is_within_window(self, at=None) -> bool:
        at = at or timezone.now()
        return (self.valid_from is None or self.valid_from <= at) and (
            self.valid_until is None or at < self.valid_until
        )


class CouponRedemption(models.Model):
    """One use of a coupon by one order. Deleted again if the order is cancelled or fails."""

    # PROTECT: a coupon that has been used keeps its history; staff deactivate it instead.
    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="redemption")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["coupon", "user"])]

    def __str__(self) -> str:
        return f"{self.coupon} → {self.order}"


class WebhookEvent(models.Model):
    """Every provider event we accepted, once: the unique key is what makes retries harmless."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.type} {self.event_id}"


class MismatchKind(models.TextChoices):
    MISSING_AT_PROVIDER = "missing_at_provider", _("Paid here, unknown to the provider")
    MISSING_HERE = "missing_here", _("Paid at the provider, not confirmed here")
    AMOUNT = "amount", _("Different amount")


class ReconciliationMismatch(models.Model):
    """One difference between our confirmed orders and a provider's own records for a day,
    found by the daily reconciliation (memberships.payments.reconciliation). Staff read
    them in the admin and mark them resolved once they have dealt with the money."""

    day = models.DateField(help_text=_("The day whose payments were compared."))
    provider = models.CharField(max_length=10, choices=PaymentProvider.choices)
    reference = models.CharField(
        max_length=255, help_text=_("Our order reference, or the provider's id when we have no order.")
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="mismatches"
    )
    kind = models.CharField(max_length=20, choices=MismatchKind.choices)
    our_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    provider_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "provider", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "provider", "reference", "kind"], name="reconciliation_mismatch_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.provider} {self.reference}: {self.get_kind_display()}"
