"""The checkout form: a coupon code, a way to pay, and two buttons (Apply, Pay)."""

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .. import coupons
from ..models import Coupon
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

    invoice_company = forms.CharField(label=_("Company name"), required=False, max_length=200)
    invoice_tax_code = forms.CharField(label=_("Tax code"), required=False, max_length=20)
    invoice_address = forms.CharField(label=_("Company address"), required=False, max_length=300)

    def __init__(self, *args, user, tier, **kwargs):
        """`tier` is what is being bought: a Tier, or a course sold on its own."""
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

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("invoice_company")) != bool(cleaned.get("invoice_tax_code")):
            raise forms.ValidationError(
                _("For a company invoice, give both the company name and its tax code.")
            )
        return cleaned

    @property
    def invoice(self) -> dict:
        return {
            "company": self.cleaned_data.get("invoice_company", ""),
            "tax_code": self.cleaned_data.get("invoice_tax_code", ""),
            "address": self.cleaned_data.get("invoice_address", ""),
        }

    @cached_property
    def price(self) -> coupons.Price:
        """The price to show: with the coupon once it validated, else the plain price."""
        if self.is_bound:
            self.is_valid()
        return coupons.price_with(self.tier, self.applied_coupon)
