from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import EbookDownloadViewSet, ReadOnlyPermissionPolicy
from .models import EbookDownload

# Before the viewset asks for the model's policy, or Wagtail makes a default one.
register_permission_policy(EbookDownload, ReadOnlyPermissionPolicy(EbookDownload))


# Standalone for now; it belongs in the Memberships menu group beside orders and coupons.
@hooks.register("register_admin_viewset")
def register_ebook_downloads_admin():
    return EbookDownloadViewSet("ebook_downloads", url_prefix="learning/ebook-downloads")
