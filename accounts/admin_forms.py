"""The Wagtail admin's user forms, for a user model with one full-name field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.users.forms import UserCreationForm, UserEditForm


def _drop_split_names(form):
    # The user model keeps one full-name field; Wagtail's stock form expects two.
    for name in ("first_name", "last_name"):
        form.fields.pop(name, None)


class WagtailUserCreationForm(UserCreationForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _drop_split_names(self)

    class Meta(UserCreationForm.Meta):
        fields = ["email", "full_name", "is_superuser", "groups"]


class WagtailUserEditForm(UserEditForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _drop_split_names(self)

    class Meta(UserEditForm.Meta):
        fields = ["email", "full_name", "is_active", "is_superuser", "groups"]
