"""The checkout form: a coupon code, a way to pay, and two buttons (Apply, Pay)."""

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .. import coupons
from ..models import Coupon, Tier
from .checkout import available_providers


class CheckoutForm(forms.Form):
    APPLY = "apply"
    PAY = "pay"

    coupon = forms.CharField(
        label=_("Coupon code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    provider = forms.ChoiceField(label=_("How would you like to pay?"), widget=forms.RadioSelect)

    def __init__(self, *args, user, tier: Tier, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.tier = tier
        self.applied_coupon: Coupon | None = None
        choices = available_providers()
        self.fields["provider"].choices = choices
        self.fields["provider"].initial = choices[0][0]

    @property
    def wants_to_pay(self) -> bool:
        return self.is_bound and self.data.get("action") == self.PAY

    def clean_coupon(self) -> str:
        code = coupons.normalize_code(self.cleaned_data["coupon"])
        if code:
            self.applied_coupon = coupons.validate(code, self.user, self.tier)
        return code

    @cached_property
    def price(self) -> coupons.Price:
        """The price to show: with the coupon once it validated, else the plain price."""
        if self.is_bound:
            self.is_valid()
        return coupons.price_with(self.tier, self.applied_coupon)
