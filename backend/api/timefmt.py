"""The one time format of the API, REST and WebSocket alike.

Every datetime Runa sends is ISO 8601 in UTC with a ``Z``
(``2026-12-01T08:30:00Z``, with ``.ffffff`` when there are microseconds),
whatever ``TIME_ZONE`` the server runs in. Clients convert to local time
themselves. Input may carry any offset; a value without one is read in the
server's ``TIME_ZONE``.
"""

from datetime import UTC, datetime

from rest_framework import serializers


def iso_utc(value: datetime) -> str:
    """``value`` (timezone-aware) as ISO 8601 in UTC with ``Z``."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class UtcDateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, answering in UTC with ``Z`` (input unchanged)."""

    def to_representation(self, value):
        if not value:
            return None
        if isinstance(value, str):
            return value
        return iso_utc(value)
