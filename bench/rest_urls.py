"""Runa's URLs plus the ladder's reference views (bench/rest_ladder.py).

- ``plain``: a Django function view, no DRF;
- ``drf-bare``: a DRF ``APIView`` with no authentication, permission or throttle;
- ``drf-auth``: the same view with Runa's default authentication, permission
  and throttles (REST_FRAMEWORK settings): what every Runa endpoint pays first.
"""

from django.http import JsonResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.urls import urlpatterns as runa_urlpatterns


def plain(request):
    return JsonResponse({"ok": True})


class BareApi(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = []

    def get(self, request):
        return Response({"ok": True})


class AuthApi(APIView):
    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("bench/plain/", plain),
    path("bench/drf-bare/", BareApi.as_view()),
    path("bench/drf-auth/", AuthApi.as_view()),
    *runa_urlpatterns,
]
