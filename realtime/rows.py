"""Values read by fixed SQL (``cursor.execute``), brought to what the ORM
would have given: the hot reads skip the ORM's query building, not its types."""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def aware(value) -> datetime | None:
    """A DateTimeField's value: aware, in UTC (USE_TZ). SQLite's driver gives
    a naive datetime for a column (or text, for an expression); PostgreSQL's
    an aware one."""
    if value is None:  # most values (no mute): first, and cheap
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value
