"""DRF throttles counting requests per window with one atomic increment.

DRF's own throttles keep a list of every request's time in the last period
and read and write it whole on each request: with a 1,200/min limit that is
up to 1,200 floats pickled twice per call, and two concurrent requests can
each write back a list missing the other (issue 14). Here a request costs
one ``incr`` of a counter, which Redis does atomically. A window opens with a
client's first request (the counter is added with the period as its expiry,
beside the window's start time for ``Retry-After``) and ends a period later.
The price is the window's edge: a client can make up to twice the limit
across the end of one window and the start of the next.
"""

import math

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


class _CountingThrottle(throttling.SimpleRateThrottle):
    """SimpleRateThrottle's counting, replaced; the subclasses below list it
    after DRF's own class, so ScopedRateThrottle still learns its scope and
    rate from the view before this counts."""

    # Not DRF's key: a history list left under it by DRF's throttles is no
    # counter, and incrementing it would fail.
    cache_format = "throttle-count:%(scope)s:%(ident)s"

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        return self._count() <= self.num_requests

    def _count(self) -> int:
        try:
            return self.cache.incr(self.key)
        except ValueError:  # the window's first request
            if self.cache.add(self.key, 1, self.duration):
                self.cache.set(f"{self.key}:start", self.now, self.duration)
                return 1
            return self.cache.incr(self.key)  # another request added it first

    def wait(self) -> float:
        started = self.cache.get(f"{self.key}:start", self.now)
        return max(1, math.ceil(started + self.duration - self.now))


class AnonThrottle(_LiveRateMixin, throttling.AnonRateThrottle, _CountingThrottle):
    pass


class UserThrottle(_LiveRateMixin, throttling.UserRateThrottle, _CountingThrottle):
    pass


class ScopedThrottle(_LiveRateMixin, throttling.ScopedRateThrottle, _CountingThrottle):
    """Per-user limit of one expensive or sensitive endpoint (``throttle_scope``)."""
