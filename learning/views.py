"""Learner-facing views outside Wagtail's page tree: the protected ebook download."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from documents.serving import serve_protected
from memberships import policy
from memberships.gating import mark_private, render_teaser

from .models import EbookPage


@require_GET
def download_ebook(request, page_id: int):
    """Check the policy, log and count the download, then hand over the file."""
    mark_private(request)
    ebook = get_object_or_404(
        EbookPage.objects.live().public().select_related("document", "required_tier"),
        pk=page_id,
        document__isnull=False,
    )
    decision = policy.can_download(request.user, ebook)
    if not decision:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render_teaser(request, ebook, decision)
    ebook.record_download(
        request.user,
        ip=request.META.get("REMOTE_ADDR"),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return serve_protected(request, ebook.document, _download_name(ebook))


def _download_name(ebook: EbookPage) -> str:
    extension = ebook.document.file_extension
    return f"{ebook.slug}.{extension}" if extension else ebook.slug
