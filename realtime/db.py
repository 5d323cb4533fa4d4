"""``db_hop``: run sync ORM code from a consumer, off the event loop.

Two choices, both measured (docs/performance.md):

- Lanes, not asgiref's single thread-sensitive thread: a room's database work
  always runs on the same one of ``REALTIME_DB_THREADS`` single-thread
  executors (room id modulo lanes). One slow commit (a disk flush) then stalls
  only the rooms of its lane, a room's writes stay in order within a process,
  and different rooms commit in parallel (PostgreSQL groups their flushes).
- Kept connections: Channels' ``database_sync_to_async`` calls
  ``close_old_connections`` around every call, and with ``CONN_MAX_AGE = 0``
  that is a new database connection for every chat message (~6 ms on SQLite in
  WAL mode here, more for PostgreSQL over TCP). Each lane keeps its connection
  for ``REALTIME_DB_CONN_MAX_AGE`` seconds and still drops it at once after an
  unrecoverable error, exactly as Django would.
"""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import connections

from realtime import events

_lanes: list[ThreadPoolExecutor] = []


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


def lanes() -> list[ThreadPoolExecutor]:
    if not _lanes:
        _lanes.extend(
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"realtime-db-{i}")
            for i in range(settings.REALTIME_DB_THREADS)
        )
    return _lanes


def db_hop(func):
    """Decorator: an async callable running ``func`` on its room's lane.

    The lane is chosen by the ``room_id`` keyword argument (lane 0 without).
    Broadcasts the services make after commit are sent from the event loop
    once ``func`` returns (``realtime.events.collected``), not from the lane.
    """
    hops: dict[int, DatabaseHop] = {}

    def collecting(outbox, *args, **kwargs):
        with events.collected(outbox):
            return func(*args, **kwargs)

    async def call(*args, **kwargs):
        pool = lanes()
        index = kwargs.get("room_id", 0) % len(pool)
        hop = hops.get(index)
        if hop is None:
            hop = hops[index] = DatabaseHop(
                collecting, thread_sensitive=False, executor=pool[index]
            )
        outbox: list = []
        try:
            return await hop(outbox, *args, **kwargs)
        finally:
            await events.publish(outbox)

    call.__name__ = func.__name__
    call.__doc__ = func.__doc__
    return call


async def close_connections() -> None:
    """Close every lane's connections (tests, before the database goes)."""
    loop = asyncio.get_running_loop()
    for lane in list(_lanes):
        await loop.run_in_executor(lane, connections.close_all)
