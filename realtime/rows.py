"""Values read by fixed SQL (``cursor.execute``), brought to what the ORM
would have given: the hot reads skip the ORM's query building, not its types."""

import uuid
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def aware(value) -> datetime | None:
    """A DateTimeField's value: aware, in UTC (USE_TZ). SQLite's driver gives
    a naive datetime for a column (or text, for an expression); PostgreSQL's
    an aware one."""
    if value is None:  # most deleted_at: first, and cheap
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def uuid_text(value) -> str:
    """A UUIDField's value as ``str(uuid)`` gives it: SQLite stores 32 hex
    digits (formatted here without building a UUID), PostgreSQL a uuid."""
    if isinstance(value, str) and len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(uuid.UUID(str(value)))
