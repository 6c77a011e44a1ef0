"""What the memberships API says about tiers, subscriptions, orders and payments."""

from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from api.fields import IdField, SlugRefField
from learning.models import CoursePage

from ..models import Order, OrderItem, PaymentProvider, Subscription, Tier


class MembershipTierSerializer(serializers.ModelSerializer):
    features = serializers.ListField(
        source="feature_list", child=serializers.CharField(), help_text=_("One benefit per item.")
    )
    price = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)
    is_free = serializers.BooleanField(read_only=True)

    class Meta:
        model = Tier
        fields = [
            "slug",
            "name",
            "tagline",
            "rank",
            "price",
            "currency",
            "billing_period",
            "is_free",
            "max_video_height",
            "max_devices",
            "includes_ebooks",
            "includes_live_sessions",
            "includes_certificates",
            "features",
        ]
        read_only_fields = fields


class TierRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tier
        fields = ["slug", "name", "rank"]
        read_only_fields = fields


class SubscriptionSerializer(serializers.ModelSerializer):
    tier = TierRefSerializer()

    class Meta:
        model = Subscription
        fields = ["tier", "status", "starts_at", "ends_at", "provider"]
        read_only_fields = fields


class MySubscriptionSerializer(serializers.Serializer):
    tier = MembershipTierSerializer(
        allow_null=True, help_text=_("The tier the caller has now (the free tier without a plan).")
    )
    subscription = SubscriptionSerializer(
        allow_null=True, help_text=_("The current subscription that gives that tier; null on the free tier.")
    )


class OrderItemSerializer(serializers.ModelSerializer):
    tier = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    course = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("The course's id.")
    )

    class Meta:
        model = OrderItem
        fields = ["kind", "name", "tier", "course", "list_price", "discount", "amount"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text=_("The order's public id."))
    tier = TierRefSerializer(
        read_only=True, allow_null=True, help_text=_("The plan of a membership order; null for a course.")
    )
    items = OrderItemSerializer(many=True, read_only=True, help_text=_("What the order pays for."))
    coupon = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Order
        fields = [
            "reference",
            "tier",
            "items",
            "status",
            "provider",
            "list_price",
            "discount",
            "amount",
            "currency",
            "coupon",
            "created_at",
            "paid_at",
            "closed_at",
            "refunded_amount",
        ]
        read_only_fields = fields


class InvoiceSerializer(serializers.Serializer):
    """A company invoice, as the checkout page asks for it: the company and its tax code
    together, the address optional."""

    company = serializers.CharField(max_length=200)
    tax_code = serializers.CharField(max_length=20)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CheckoutSerializer(serializers.Serializer):
    tier = SlugRefField(
        slug_field="slug",
        queryset=Tier.objects.all(),
        required=False,
        help_text=_("The slug of the tier to buy (one period). Give either `tier` or `course`."),
    )
    course = serializers.PrimaryKeyRelatedField(
        # Wagtail's .public() reads the view restrictions when it is called: a class
        # attribute must not query at import, so privacy is checked in validate_course.
        queryset=CoursePage.objects.live().select_related("required_tier"),
        pk_field=IdField(),
        required=False,
        help_text=_("The id of a course sold on its own, to own for life. Give either `tier` or `course`."),
    )
    provider = serializers.ChoiceField(
        choices=PaymentProvider.choices,
        help_text=_("`vnpay`, `momo` or `stripe` (card) when offered, or `manual` (bank transfer)."),
    )
    coupon = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    invoice = InvoiceSerializer(required=False, allow_null=True, default=None)

    def validate_course(self, course):
        if course.get_view_restrictions().exists():
            raise serializers.ValidationError(_("No such course."), code="does_not_exist")
        return course

    def validate(self, attrs):
        if ("tier" in attrs) == ("course" in attrs):
            raise serializers.ValidationError(_("Give either a tier or a course to buy."), code="product")
        return attrs


class BankTransferSerializer(serializers.Serializer):
    details = serializers.CharField(help_text=_("The account to transfer to."))
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    reference = serializers.CharField(help_text=_("Put this in the transfer note."))


class PaymentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=[(m, m) for m in ("stripe_checkout", "vnpay", "momo", "bank_transfer", "none")],
        help_text=_(
            "`stripe_checkout`, `vnpay`, `momo`: send the learner to `url`. `bank_transfer`: show "
            "`bank_transfer`. `none`: a coupon made the order free and it is already paid."
        ),
    )
    url = serializers.URLField(allow_null=True, help_text=_("The payment page, for a gateway."))
    bank_transfer = BankTransferSerializer(allow_null=True)


class CheckoutResultSerializer(serializers.Serializer):
    order = OrderSerializer()
    payment = PaymentSerializer()


class CouponCheckSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    tier = SlugRefField(slug_field="slug", queryset=Tier.objects.all())


class CouponQuoteSerializer(serializers.Serializer):
    code = serializers.CharField()
    tier = serializers.CharField(help_text=_("The tier's slug."))
    list_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("What the learner would pay.")
    )
    currency = serializers.CharField()
