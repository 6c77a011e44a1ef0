from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .views import VideoViewSet, admin_css, admin_js

register_snippet(VideoViewSet)
hooks.register("insert_global_admin_css", admin_css)
hooks.register("insert_global_admin_js", admin_js)
