from rest_framework import throttling
from rest_framework.settings import api_settings

from backend.api.client_ip import client_ip


class _LiveRateMixin:
    """Read the rate at request time, so a settings change (tests, reloads) applies.

    DRF copies the rates into a class attribute at import time otherwise.
    """

    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        # The same address allauth's rate limits use (TRUSTED_PROXY_COUNT).
        return client_ip(request)


class AnonThrottle(_LiveRateMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(_LiveRateMixin, throttling.UserRateThrottle):
    pass


class ScopedThrottle(_LiveRateMixin, throttling.ScopedRateThrottle):
    """Per-user limit of one expensive or sensitive endpoint (``throttle_scope``)."""
