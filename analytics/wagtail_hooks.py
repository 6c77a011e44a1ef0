from django.urls import include, path

from wagtail import hooks

from . import admin_urls
from .middleware import remember_served_page
from .panels import add_stats_panels


@hooks.register("construct_homepage_panels")
def stats_panels(request, panels):
    add_stats_panels(request, panels)


@hooks.register("register_admin_urls")
def analytics_admin_urls():
    return [path("analytics/", include(admin_urls, namespace="analytics_admin"))]


# Before the membership gate (order 10), which may answer with the teaser instead.
@hooks.register("before_serve_page", order=5)
def remember_page_for_analytics(page, request, serve_args, serve_kwargs):
    remember_served_page(page, request)
