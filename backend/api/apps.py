from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "backend.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the OpenAPI description of allauth's session-token auth.
        from backend.api import schema  # noqa: F401
