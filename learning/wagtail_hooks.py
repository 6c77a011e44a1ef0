from wagtail.permissions import register_permission_policy

from memberships.admin_policies import ReadOnlyPermissionPolicy

from .models import EbookDownload

# Before the viewset asks for the model's policy, or Wagtail makes a default one. The
# viewset itself sits in the Memberships menu group (memberships/wagtail_hooks.py).
register_permission_policy(EbookDownload, ReadOnlyPermissionPolicy(EbookDownload))
