from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import LiveSessionPermissionPolicy, LiveSessionViewSet
from .models import LiveSession

# Before any view asks for the model's policy, or Wagtail makes a default (unscoped) one.
register_permission_policy(LiveSession, LiveSessionPermissionPolicy(LiveSession))


@hooks.register("register_admin_viewset")
def register_live_sessions_admin():
    return LiveSessionViewSet("live_sessions", url_prefix="live/sessions")
