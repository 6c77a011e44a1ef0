"""Editor layout shared by page types: the same tab order everywhere."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import ObjectList, TabbedInterface
from wagtail.models import Page


def tabs(content, details=None, access=None) -> TabbedInterface:
    """Content, then Details and Access when given, then Wagtail's Promote tab."""
    panels = [ObjectList(content, heading=_("Content"))]
    if details:
        panels.append(ObjectList(details, heading=_("Details")))
    if access:
        panels.append(ObjectList(access, heading=_("Access")))
    panels.append(ObjectList(Page.promote_panels, heading=_("Promote")))
    return TabbedInterface(panels)
