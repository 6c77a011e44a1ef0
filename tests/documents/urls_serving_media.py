"""The site's URLs plus /media/ served from MEDIA_ROOT, as `runserver` with DEBUG and
nginx in production serve it: a protected file must not be reachable even then."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *site_urlpatterns,
]
