from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "backend.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the OpenAPI description of allauth's session-token auth.
        # Model datetimes in every ModelSerializer answer in UTC with Z, like the
        # WebSocket frames (backend/api/timefmt.py); DRF's own field would use
        # the server's TIME_ZONE offset.
        from django.db import models
        from rest_framework.serializers import ModelSerializer

        from backend.api import schema  # noqa: F401
        from backend.api.timefmt import UtcDateTimeField

        ModelSerializer.serializer_field_mapping[models.DateTimeField] = (
            UtcDateTimeField
        )
