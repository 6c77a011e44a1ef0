"""/healthz and /readyz: plain JSON, never cached, quiet in the logs."""

import logging

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health

logger = logging.getLogger(__name__)
_last_ready: bool | None = None


def _quiet(response: JsonResponse) -> JsonResponse:
    # Load balancers poll every few seconds: a 503 is logged once per change below,
    # not by django.request on every probe.
    response._has_been_logged = True
    return response


@never_cache
@require_safe
def healthz(request):
    """Alive: the process answers. Touches nothing else, so a DB outage does not make
    an orchestrator restart healthy web processes."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Ready: database, cache, storage and task queue answer; 503 otherwise."""
    global _last_ready
    ready, checks = health.readiness()
    if ready != _last_ready:
        failing = [name for name, result in checks.items() if result["status"] != "ok"]
        if ready:
            logger.info("ready: all checks pass")
        else:
            logger.warning("not ready: %s failing", ", ".join(failing))
        _last_ready = ready
    response = JsonResponse(
        {"status": "ok" if ready else "fail", "checks": checks}, status=200 if ready else 503
    )
    return _quiet(response)
