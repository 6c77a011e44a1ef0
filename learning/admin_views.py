"""Wagtail admin for the ebook downloads log (registered from wagtail_hooks.py).

The log is a record of what happened: staff with `view_ebookdownload` read, search,
filter and export it; nobody adds, edits or deletes an entry by hand.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from .models import EbookDownload


def _user_email(download: EbookDownload) -> str:
    return download.user.email if download.user_id else _("(deleted user)")


class EbookDownloadViewSet(ModelViewSet):
    model = EbookDownload
    icon = "download"
    menu_label = gettext_lazy("Ebook downloads")
    add_to_admin_menu = False
    menu_order = 310
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = []  # no add or edit form is ever shown: the policy allows neither
    list_per_page = 50
    search_fields = ["user__email"]
    list_filter = ["ebook", "created_at"]
    list_export = ["created_at", "user__email", "ebook__title", "ip", "user_agent"]
    inspect_view_fields = ["created_at", "user", "ebook", "ip", "user_agent"]

    @cached_property
    def list_display(self):
        return [
            DateColumn("created_at", label=_("When"), sort_key="created_at"),
            Column("user", label=_("User"), accessor=_user_email, sort_key="user__email"),
            Column("ebook", label=_("Ebook"), accessor="ebook.title", sort_key="ebook__title"),
            Column("ip", label=_("IP address")),
        ]

    def get_queryset(self, request):
        return EbookDownload.objects.select_related("user", "ebook")

    def get_permissions_to_register(self):
        """Only what the policy honours: viewing the log."""
        return super().get_permissions_to_register().filter(codename="view_ebookdownload")
