from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .checks import AltchaCheck


@require_GET
@never_cache
def altcha_challenge(request):
    """A fresh signed ALTCHA challenge for the widget (never cached: each is single-use)."""
    return JsonResponse(AltchaCheck().issue())
