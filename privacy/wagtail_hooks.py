from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_registry_url():
    return [path("privacy/registry/", admin_views.registry_view, name="privacy_registry")]


@hooks.register("register_reports_menu_item")
def register_registry_menu_item():
    return MenuItem(
        _("What we keep and why"),
        reverse("privacy_registry"),
        icon_name="lock",
        order=900,
    )
