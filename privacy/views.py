"""The learner's privacy pages: their data (export, delete), consent, the public page."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from memberships.gating import mark_private

from . import consent, erasure, exporting, registry
from .forms import DeleteAccountForm
from .models import ConsentPurpose, ExportRequest


@login_required
def your_data(request):
    mark_private(request)
    return render(
        request,
        "privacy/your_data.html",
        {
            "exports": ExportRequest.objects.filter(user=request.user)[:5],
            "marketing_email": consent.marketing_email_allowed(request.user),
            "analytics": consent.analytics_allowed(request),
        },
    )


@login_required
@require_POST
def request_export(request):
    exporting.request_export(request.user)
    messages.success(
        request, _("We are preparing your data. You will get an email with a download link when it is ready.")
    )
    return redirect("privacy:your_data")


@login_required
def download_export(request, export_id, token):
    """The emailed link: only the account it was made for, only while it is valid."""
    mark_private(request)
    export = exporting.export_for_link(export_id, token, request.user)
    if export is None:
        raise Http404(_("This download link is not valid or has expired."))
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename="lectern-data.zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    mark_private(request)
    refusal = erasure.refusal(request.user)
    form = DeleteAccountForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and not refusal and form.is_valid():
        user = request.user
        pending = erasure.request_erasure(user, requested_by="owner")
        logout(request)
        return render(request, "privacy/deletion_scheduled.html", {"erasure": pending})
    return render(request, "privacy/delete_account.html", {"form": form, "refusal": refusal})


@require_http_methods(["GET", "POST"])
def consent_settings(request):
    """The banner posts here; the footer links here to change the choice at any time."""
    mark_private(request)
    if request.method == "POST":
        response = redirect(_safe_next(request))
        if "analytics" in request.POST:
            consent.set_analytics_choice(request, response, request.POST["analytics"] == "accept")
        if request.user.is_authenticated and "marketing_email" in request.POST:
            consent.record(
                request.user, ConsentPurpose.MARKETING_EMAIL, request.POST["marketing_email"] == "yes"
            )
        messages.success(request, _("Your privacy choices are saved."))
        return response
    return render(
        request,
        "privacy/consent.html",
        {
            "analytics": consent.analytics_allowed(request),
            "answered": consent.has_answered(request),
            "marketing_email": consent.marketing_email_allowed(request.user),
        },
    )


def privacy_notice(request):
    """The public privacy page, written from the registry."""
    return render(request, "privacy/notice.html", {"groups": registry_groups()})


def registry_groups() -> list[dict]:
    groups: dict[str, list] = {}
    for declaration in registry.declarations():
        if declaration.personal:
            groups.setdefault(declaration.area, []).append(declaration)
    return [
        {"area": area, "title": registry.AREAS[area], "declarations": groups[area]}
        for area in registry.AREAS
        if area in groups
    ]


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"
