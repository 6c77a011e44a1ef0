"""Public verification, the learner's downloads and the published keys and status list.

Views parse, ask the service or the policy, and render; the logic lives in
issuing.py, credentials.py, status_list.py and did.py.
"""

from types import SimpleNamespace

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from documents.serving import serve_protected
from learning.models import CoursePage
from memberships.gating import mark_private

from . import credentials, did, status_list, vc_jwt, verification
from .forms import VerifyForm
from .issuing import normalize_number, own_certificate
from .models import Certificate
from .tasks import ensure_pdf

PUBLIC_KEY_CACHE_SECONDS = 300
STATUS_LIST_CACHE_SECONDS = 60


def _verify_page(request, *, form, certificate=None, status=200, limited=False):
    response = TemplateResponse(
        request,
        "certificates/verify.html",
        {"form": form, "certificate": certificate, "limited": limited, "searched": status == 404},
        status=status,
    )
    # Always ask the server again: a revocation must show at once.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_GET
def verify(request):
    """The form; a valid number goes on to its page, bad input stays here with the error."""
    if "number" not in request.GET:
        return _verify_page(request, form=VerifyForm())
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _verify_page(request, form=form, status=400)
    return redirect("certificates:verify_number", number=form.cleaned_data["number"])


@require_GET
def verify_number(request, number: str):
    """One certificate's public page: who, what, when, and whether it was revoked."""
    if verification.over_limit(request):
        return _verify_page(request, form=VerifyForm(initial={"number": number}), status=429, limited=True)
    canonical = normalize_number(number)
    if canonical and canonical != number:
        return redirect("certificates:verify_number", number=canonical)
    certificate = verification.find(canonical) if canonical else None
    if certificate is None:
        return _verify_page(request, form=VerifyForm(initial={"number": number}), status=404)
    return _verify_page(request, form=VerifyForm(), certificate=certificate)


def _own_certificate(request, number: str) -> Certificate:
    certificate = own_certificate(request.user, number)
    if certificate is None:
        raise Http404("No such certificate.")
    return certificate


@require_GET
def download_pdf(request, number: str):
    mark_private(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = ensure_pdf(_own_certificate(request, number))
    document = SimpleNamespace(
        file=certificate.pdf, content_type="application/pdf", filename=certificate.pdf_filename
    )
    return serve_protected(request, document, certificate.pdf_filename)


@require_GET
def download_credential(request, number: str):
    """The Open Badges 3.0 credential as a VC-JWT file (application/vc+jwt)."""
    mark_private(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = _own_certificate(request, number)
    response = HttpResponse(credentials.signed_credential(certificate), content_type=vc_jwt.MEDIA_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{certificate.number}.jwt"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _public(response, seconds: int):
    """Keys and status lists are public and fetched by other sites' verifiers."""
    patch_cache_control(response, public=True, max_age=seconds)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def did_document(request):
    response = JsonResponse(did.did_document(), content_type="application/did+json")
    return _public(response, PUBLIC_KEY_CACHE_SECONDS)


@require_GET
def status_list_credential(request, list_number: int):
    """The signed Bitstring Status List; short cache, so a revocation shows within a minute."""
    if list_number < 1 or list_number > status_list.highest_list_number():
        raise Http404("No such status list.")
    token = status_list.signed_status_list(list_number)
    return _public(HttpResponse(token, content_type=vc_jwt.MEDIA_TYPE), STATUS_LIST_CACHE_SECONDS)


@require_GET
def achievement(request, course_id: int):
    """An achievement's id is a URL: send people to the course it stands for."""
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    return redirect(course.url)
