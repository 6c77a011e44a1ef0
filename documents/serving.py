"""Hand a protected file to a user the policy has already let through.

One place decides *how* bytes leave (settings.PROTECTED_FILES_SERVER):

- "django": stream the file from the private storage (development, small sites);
- "nginx": an empty response with X-Accel-Redirect, so nginx sends the file from its
  internal /protected/ location (deploy/nginx.conf) and gunicorn is free at once;
- "s3": a redirect to a presigned URL that expires after PROTECTED_URL_SECONDS.

Every answer is marked private, so no proxy or CDN keeps a copy.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from memberships.gating import mark_private


def serve_protected(request, document, filename: str | None = None) -> HttpResponse:
    """Send `document`'s file as an attachment named `filename` (default: its own name)."""
    mark_private(request)
    filename = filename or document.filename
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    server = settings.PROTECTED_FILES_SERVER
    if server == "s3":
        return _presigned_redirect(document, disposition)
    if server == "nginx":
        response = HttpResponse(content_type=document.content_type)
        location = settings.PROTECTED_FILES_NGINX_LOCATION
        response["X-Accel-Redirect"] = location + quote(document.file.name)
    else:
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type=document.content_type,
        )
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _presigned_redirect(document, disposition: str) -> HttpResponse:
    url = document.file.storage.url(
        document.file.name,
        parameters={"ResponseContentDisposition": disposition},
        expire=settings.PROTECTED_URL_SECONDS,
    )
    return HttpResponseRedirect(url)
