from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import can_see_earnings, statement_view


@hooks.register("register_admin_urls")
def register_earnings_url():
    return [path("earnings/", statement_view, name="earnings_statement")]


class EarningsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_earnings(request.user)


@hooks.register("register_admin_menu_item")
def register_earnings_menu_item():
    return EarningsMenuItem(_("Earnings"), reverse("earnings_statement"), icon_name="doc-full", order=310)
