from django import forms
from django.utils.translation import gettext_lazy as _

from .issuing import normalize_number

NOT_A_NUMBER = _(
    "That is not a certificate number. Numbers look like LCT-2026-7KQ3XW: "
    "“LCT”, the year, then six letters and digits."
)


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=40,
        error_messages={"max_length": NOT_A_NUMBER},
        help_text=_("It is printed on the certificate, e.g. LCT-2026-7KQ3XW."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_number(self) -> str:
        number = normalize_number(self.cleaned_data["number"])
        if number is None:
            raise forms.ValidationError(NOT_A_NUMBER)
        return number
