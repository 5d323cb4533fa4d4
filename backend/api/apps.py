from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "backend.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Model datetimes in every ModelSerializer answer in UTC with Z, like the
        # WebSocket frames (backend/api/timefmt.py); DRF's own field would use
        # the server's TIME_ZONE offset.
        from django.db import models
        from rest_framework.serializers import ModelSerializer

        from backend.api.timefmt import UtcDateTimeField

        ModelSerializer.serializer_field_mapping[models.DateTimeField] = (
            UtcDateTimeField
        )
