"""The admin's "What we keep and why": the registry, as staff see it (with the model and
fields behind each line), the same list the public privacy page is written from."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .views import registry_groups


def registry_view(request):
    return TemplateResponse(
        request,
        "privacy/admin/registry.html",
        {"groups": registry_groups(), "show_fields": True, "page_title": _("What we keep and why")},
    )
