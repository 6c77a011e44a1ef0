from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Video


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = "Videos"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "status", "duration_seconds", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]
