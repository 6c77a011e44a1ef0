"""One WSGI application that sends a few hot URLs through a shorter middleware stack.

The video key endpoint answers every playlist load of every viewer, so its cost per
request sets how many viewers a core can serve. Most of the site's middleware does
nothing for it: static files, CSRF (it is a GET that changes nothing), messages,
frame options on a 16-byte binary answer, allauth, redirects for 404s, login lockout
and page-view analytics. Running through them was about a tenth of the endpoint's
time, and with it the URL resolver and the response hooks stay exactly Django's.

Those paths go through `LeanHandler`: Django's own WSGI handler, with the middleware
listed in `settings.LEAN_MIDDLEWARE` (a subset of MIDDLEWARE, in the same order:
security headers, the session and the logged-in user). Everything else, the views
included, is unchanged: the same URLconf, the same error handling, the same views.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.utils.module_loading import import_string


class LeanHandler(WSGIHandler):
    """Django's WSGI handler with its own, shorter list of (synchronous) middleware."""

    def __init__(self, middleware: list[str]):
        self.middleware = list(middleware)
        super().__init__()

    def load_middleware(self, is_async=False):
        """As BaseHandler.load_middleware, for `self.middleware` and sync only."""
        if is_async:
            raise NotImplementedError("LeanHandler serves WSGI only")
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(self.middleware):
            try:
                instance = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler


def lean_paths_application(application):
    """`application`, except that paths under `settings.LEAN_PATHS` go through a
    LeanHandler with `settings.LEAN_MIDDLEWARE`."""
    prefixes = tuple(settings.LEAN_PATHS)
    if not prefixes:
        return application
    lean = LeanHandler(settings.LEAN_MIDDLEWARE)

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(prefixes):
            return lean(environ, start_response)
        return application(environ, start_response)

    dispatch.lean = lean
    dispatch.full = application
    return dispatch
