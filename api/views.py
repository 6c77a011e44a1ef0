"""The schema and its docs, served from our own static files (drf-spectacular-sidecar):
Swagger UI's set-up script comes from a URL of its own, so the page needs no inline script
under the site's Content-Security-Policy."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    url_name = "api:schema"
