"""The privacy API: ask for a data export (the same `privacy.exporting.request_export`
the account page calls) and see how it is going. The zip itself is reached only through
the emailed link, signed in on the site."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from api.idempotency import idempotent

from .. import exporting
from ..models import ExportRequest
from .serializers import ExportRequestSerializer


class ExportRequestList(generics.ListAPIView):
    """The caller's data exports, newest first."""

    serializer_class = ExportRequestSerializer

    def get_queryset(self):
        return ExportRequest.objects.filter(user=self.request.user)

    @extend_schema(request=None, responses={202: ExportRequestSerializer})
    @idempotent
    def post(self, request):
        """Ask for a copy of all your data. A job builds one zip and emails you a link that
        works for 72 hours, only when you are signed in."""
        export = exporting.request_export(request.user)
        return Response(self.get_serializer(export).data, status=status.HTTP_202_ACCEPTED)


class ExportRequestDetail(generics.RetrieveAPIView):
    """One of the caller's data exports."""

    serializer_class = ExportRequestSerializer
    lookup_url_kwarg = "export_id"

    def get_queryset(self):
        return ExportRequest.objects.filter(user=self.request.user)
