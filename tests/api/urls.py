"""The site's URLs plus a few throwaway API views that exercise the shared machinery
(errors, pagination, throttling, idempotency) without depending on any one app's API."""

from django.contrib.auth.models import Group
from django.urls import include, path

from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import idempotent


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name"]


class Groups(generics.ListCreateAPIView):
    """A list to paginate and a create to make idempotent."""

    queryset = Group.objects.order_by("id")
    serializer_class = GroupSerializer

    @idempotent
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class Boom(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("a bug")


class Strict(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "login"

    def post(self, request):
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("api/v1/_test/groups/", Groups.as_view()),
    path("api/v1/_test/boom/", Boom.as_view()),
    path("api/v1/_test/strict/", Strict.as_view()),
    path("", include("config.urls")),
]
