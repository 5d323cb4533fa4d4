from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from backend.api.throttling import ScopedThrottle
from privacy.export import user_export
from privacy.serializers import ExportSerializer


class MeExportApi(APIView):
    throttle_scope = "export"
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, ScopedThrottle]

    @extend_schema(
        responses=OpenApiResponse(
            ExportSerializer,
            description="Everything Runa keeps about me; shape in docs/api.md "
            '("Exporting my data"). Other people appear by display name at most.',
            examples=[
                OpenApiExample(
                    "Export (abridged)",
                    value={
                        "format": "runa-export",
                        "version": 1,
                        "exported_at": "2026-12-01T09:00:00+00:00",
                        "profile": {"id": 7, "email": "olena@example.org"},
                        "attempts": [],
                        "messages": [],
                    },
                )
            ],
        ),
        summary="Export all my data as one JSON document (rate-limited)",
    )
    def get(self, request: Request) -> Response:
        response = Response(user_export(user=request.user))
        response["Content-Disposition"] = 'attachment; filename="runa-export.json"'
        return response
