"""The per-user cap on open sockets (``REALTIME_MAX_SOCKETS_PER_USER``).

With REDIS_URL one sorted set per user (member: the socket's channel name,
score: expiry) holds their sockets on every process; one Lua call drops the
expired, counts and adds, so two processes cannot both take the last place.
Each process refreshes its own entries every ``REFRESH_SECONDS`` (as presence
does), so a crashed process's sockets stop counting after ``TTL_SECONDS``.
In the embedded mode the count lives in this process.
"""

import asyncio
import logging
import weakref

from django.conf import settings

from realtime.presence import REFRESH_SECONDS, TTL_SECONDS, redis_client

logger = logging.getLogger(__name__)

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return 1
"""

_REFRESH = """
local t = redis.call('TIME')
local expires = tonumber(t[1]) + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', expires, ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1
"""


class SocketCap:
    async def acquire(self, user_id: int, socket: str) -> bool:
        """Count the socket if the user has fewer than the cap open."""
        raise NotImplementedError

    async def release(self, user_id: int, socket: str) -> None:
        raise NotImplementedError


class LocalSocketCap(SocketCap):
    def __init__(self) -> None:
        self._open: dict[int, set[str]] = {}

    async def acquire(self, user_id, socket):
        sockets = self._open.setdefault(user_id, set())
        if len(sockets) >= settings.REALTIME_MAX_SOCKETS_PER_USER:
            return False
        sockets.add(socket)
        return True

    async def release(self, user_id, socket):
        sockets = self._open.get(user_id, set())
        sockets.discard(socket)
        if not sockets:
            self._open.pop(user_id, None)


class RedisSocketCap(SocketCap):
    def __init__(self) -> None:
        self._owned: dict[str, int] = {}  # this process's sockets
        self._refresher: asyncio.Task | None = None
        client = redis_client()
        self._acquire = client.register_script(_ACQUIRE)
        self._refresh_one = client.register_script(_REFRESH)

    def _key(self, user_id: int) -> str:
        return f"{settings.REDIS_PREFIX}:sockets:{user_id}"

    async def acquire(self, user_id, socket):
        allowed = await self._acquire(
            keys=[self._key(user_id)],
            args=[socket, settings.REALTIME_MAX_SOCKETS_PER_USER, TTL_SECONDS],
        )
        if int(allowed):
            self._owned[socket] = user_id
            if self._refresher is None or self._refresher.done():
                self._refresher = asyncio.get_running_loop().create_task(
                    self._refresh()
                )
        return bool(int(allowed))

    async def release(self, user_id, socket):
        self._owned.pop(socket, None)
        await redis_client().zrem(self._key(user_id), socket)

    async def _refresh(self) -> None:
        while self._owned:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                await self._touch()
            except Exception:
                logger.exception("Socket cap refresh failed; retrying")

    async def _touch(self) -> None:
        """Extend this process's entries: one round trip for all of them (a
        thousand idle sockets were a thousand every ``REFRESH_SECONDS``)."""
        async with redis_client().pipeline(transaction=False) as pipe:
            for socket, user_id in list(self._owned.items()):
                await self._refresh_one(
                    keys=[self._key(user_id)], args=[socket, TTL_SECONDS], client=pipe
                )
            await pipe.execute()


_caps: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def socket_cap() -> SocketCap:
    """The cap's store for the running event loop (one per process)."""
    loop = asyncio.get_running_loop()
    cap = _caps.get(loop)
    if cap is None:
        cap = RedisSocketCap() if settings.REDIS_URL else LocalSocketCap()
        _caps[loop] = cap
    return cap
