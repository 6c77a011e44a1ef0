"""The form field any form adds to meet the bot check (see checks.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .checks import current_check

# The one field name both widgets post under (ALTCHA's `name`, Turnstile's
# `data-response-field-name`).
FIELD_NAME = "bot_check"


class BotCheckWidget(forms.Widget):
    """Renders the current provider's widget. It never echoes a value back: a solution
    is good once, so a form shown again gets a fresh check."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        check = current_check()
        context["widget"]["check"] = check.widget_context()
        context["widget"]["check_template"] = check.template_name
        return context

    template_name = "challenges/widget.html"

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class BotCheckField(forms.Field):
    widget = BotCheckWidget
    default_error_messages = {
        "required": _("Please complete the check that you are not a robot."),
        "invalid": _("The check that you are not a robot did not pass or has expired. Please do it again."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Check that you are not a robot"))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if not current_check().verify(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class BotCheckFormMixin(forms.Form):
    """Adds the bot check as the form's last field, just above the submit button."""

    bot_check = BotCheckField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD_NAME] = self.fields.pop(FIELD_NAME)
