from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from api import errors as api_errors
from search import views as search_views

urlpatterns = [
    path("api/v1/", include("api.urls")),
    # Any other path under /api/ is the API's 404 envelope, never the site's HTML page.
    re_path(r"^api/", api_errors.not_found),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),  # beside allauth's: the MFA set-up's "continue"
    path("accounts/", include("challenges.urls")),  # /accounts/altcha/challenge/
    path("accounts/", include("allauth.urls")),
    path("search/", search_views.search, name="search"),
    path("membership/", include("memberships.urls")),
    path("video/", include("media_pipeline.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("live/", include("live.urls")),
    path("notifications/", include("notifications.urls")),
    path("analytics/", include("analytics.urls")),
    path("privacy/", include("privacy.urls")),
    path("", include("certificates.urls")),  # /certificates/…, /.well-known/did.json
    path("", include("operations.urls")),  # /healthz, /readyz
    path("", include("learning.urls")),  # /ebooks/<id>/download/, before Wagtail's pages
    path("sitemap.xml", sitemap),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
