from rest_framework import throttling
from rest_framework.settings import api_settings


class _LiveRateMixin:
    """Read the rate at request time, so a settings change (tests, reloads) applies.

    DRF copies the rates into a class attribute at import time otherwise.
    """

    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_LiveRateMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(_LiveRateMixin, throttling.UserRateThrottle):
    pass
