"""``db_hop``: run sync ORM code from a consumer, keeping the connection.

Channels' ``database_sync_to_async`` calls ``close_old_connections`` around
every call, and with ``CONN_MAX_AGE = 0`` that means a new database connection
for every chat message (measured: ~6 ms per reconnect on SQLite in WAL mode,
more with PostgreSQL over TCP; docs/performance.md). All consumer hops run on
asgiref's one thread-sensitive worker thread, so one connection serves them
all: this keeps it open for ``REALTIME_DB_CONN_MAX_AGE`` seconds, and still
drops it at once after an unrecoverable error, exactly as Django would.
"""

import time

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import connections


def _recycle_connections() -> None:
    max_age = settings.REALTIME_DB_CONN_MAX_AGE
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        if getattr(connection, "_realtime_raw", None) is not connection.connection:
            # A connection we have not seen: give it our lifetime, unless
            # Django's own is longer (or unlimited).
            connection._realtime_raw = connection.connection
            if connection.close_at is not None:
                connection.close_at = max(
                    connection.close_at, time.monotonic() + max_age
                )
        connection.close_if_unusable_or_obsolete()


class DatabaseHop(SyncToAsync):
    def thread_handler(self, loop, *args, **kwargs):
        _recycle_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            _recycle_connections()


def db_hop(func):
    """Decorator: an async callable running ``func`` on the DB thread."""
    return DatabaseHop(func, thread_sensitive=True)
