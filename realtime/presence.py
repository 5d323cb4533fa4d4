"""Who is online in a room, counted per user across connections and processes.

Each connection is one entry with an expiry; a user is online while any of
their entries is alive. Processes refresh their own entries every
``REFRESH_SECONDS``, so the entries of a crashed process vanish after
``TTL_SECONDS`` instead of haunting the room forever.

Two stores with one behaviour: Redis (one sorted set per room, member
``user|connection|name``, score = expiry time) when REDIS_URL is set, and a
process-local dict in the embedded single-process mode, where a shared store
is not needed. Both are asyncio-native: presence never touches the thread pool.
"""

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

TTL_SECONDS = 90
REFRESH_SECONDS = 30


@dataclass(frozen=True)
class Member:
    user_id: int
    connection: str
    name: str

    def encode(self) -> str:
        return f"{self.user_id}|{self.connection}|{self.name}"

    @classmethod
    def decode(cls, raw: str) -> "Member":
        user_id, connection, name = raw.split("|", 2)
        return cls(int(user_id), connection, name)


def online_list(members) -> list[dict]:
    """One entry per user (however many connections), sorted by name."""
    users: dict[int, str] = {}
    for member in members:
        users[member.user_id] = member.name
    return [
        {"user_id": user_id, "display_name": name}
        for user_id, name in sorted(users.items(), key=lambda item: (item[1], item[0]))
    ]


class PresenceStore:
    """``join``/``leave`` return ``(online, changed)``: the room's online users
    and whether the set of users changed (a user's first connection arrived or
    their last one left), which is when the room is told."""

    def __init__(self) -> None:
        # The entries this process owns, refreshed by one task per process.
        self._owned: dict[tuple[int, str], Member] = {}
        self._refresher: asyncio.Task | None = None

    async def join(self, room_id: int, member: Member) -> tuple[list[dict], bool]:
        self._owned[(room_id, member.connection)] = member
        self._ensure_refresher()
        members = await self._add(room_id, member)
        others = [m for m in members if m.connection != member.connection]
        changed = not any(m.user_id == member.user_id for m in others)
        return online_list(members), changed

    async def leave(self, room_id: int, member: Member) -> tuple[list[dict], bool]:
        self._owned.pop((room_id, member.connection), None)
        members = await self._remove(room_id, member)
        changed = not any(m.user_id == member.user_id for m in members)
        return online_list(members), changed

    async def online(self, room_id: int) -> list[dict]:
        return online_list(await self._members(room_id))

    def _ensure_refresher(self) -> None:
        if self._refresher is None or self._refresher.done():
            self._refresher = asyncio.get_running_loop().create_task(self._refresh())

    async def _refresh(self) -> None:
        while self._owned:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                await self._touch(list(self._owned.items()))
            except Exception:
                logger.exception("Presence refresh failed; retrying")

    # Store-specific: add, remove, list and touch entries.
    async def _add(self, room_id: int, member: Member) -> list[Member]:
        raise NotImplementedError

    async def _remove(self, room_id: int, member: Member) -> list[Member]:
        raise NotImplementedError

    async def _members(self, room_id: int) -> list[Member]:
        raise NotImplementedError

    async def _touch(self, entries) -> None:
        raise NotImplementedError


class LocalPresence(PresenceStore):
    def __init__(self) -> None:
        super().__init__()
        self._rooms: dict[int, dict[str, tuple[Member, float]]] = {}

    def _alive(self, room_id: int) -> list[Member]:
        now = time.monotonic()
        room = self._rooms.get(room_id, {})
        for key in [k for k, (_, expires) in room.items() if expires <= now]:
            del room[key]
        if not room:
            self._rooms.pop(room_id, None)
        return [member for member, _ in room.values()]

    async def _add(self, room_id, member):
        expires = time.monotonic() + TTL_SECONDS
        self._rooms.setdefault(room_id, {})[member.connection] = (member, expires)
        return self._alive(room_id)

    async def _remove(self, room_id, member):
        self._rooms.get(room_id, {}).pop(member.connection, None)
        return self._alive(room_id)

    async def _members(self, room_id):
        return self._alive(room_id)

    async def _touch(self, entries):
        expires = time.monotonic() + TTL_SECONDS
        for (room_id, connection), member in entries:
            self._rooms.setdefault(room_id, {})[connection] = (member, expires)


_redis_clients: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def redis_client():
    """One asyncio Redis client per event loop (clients are bound to a loop;
    a server process has one): presence, chat rate limits, the socket cap."""
    from redis import asyncio as aioredis

    loop = asyncio.get_running_loop()
    client = _redis_clients.get(loop)
    if client is None:
        # A blocking pool: when hundreds of sockets close at once, callers
        # wait for a free connection instead of failing with "Too many
        # connections" (what the default pool does past its size).
        pool = aioredis.BlockingConnectionPool.from_url(
            settings.REDIS_URL,
            decode_responses=True,
            max_connections=settings.REALTIME_REDIS_MAX_CONNECTIONS,
            timeout=settings.REDIS_POOL_TIMEOUT,
            socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
            socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
            client_name=f"{settings.REDIS_PREFIX}:realtime",
        )
        client = aioredis.Redis(connection_pool=pool)
        _redis_clients[loop] = client
    return client


# One atomic round trip with one reply: drop the dead, apply the change (if
# any), read the rest. A MULTI pipeline of the same five commands cost twice
# the CPU here, most of it parsing their replies (docs/performance.md).
_CHANGE = """
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[3] == 'add' then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[4])
elseif ARGV[3] == 'remove' then
  redis.call('ZREM', KEYS[1], ARGV[4])
end
redis.call('EXPIRE', KEYS[1], ttl * 2)
return redis.call('ZRANGE', KEYS[1], 0, -1)
"""


class RedisPresence(PresenceStore):
    def __init__(self) -> None:
        super().__init__()
        self._change = redis_client().register_script(_CHANGE)

    def _key(self, room_id: int) -> str:
        return f"{settings.REDIS_PREFIX}:presence:{room_id}"

    async def _run(self, room_id: int, op: str, member: Member) -> list[Member]:
        raw = await self._change(
            keys=[self._key(room_id)],
            args=[time.time(), TTL_SECONDS, op, member.encode()],
        )
        return [Member.decode(entry) for entry in raw]

    async def _add(self, room_id, member):
        return await self._run(room_id, "add", member)

    async def _remove(self, room_id, member):
        return await self._run(room_id, "remove", member)

    async def _members(self, room_id):
        # A read: the live entries only; the next change drops the dead.
        raw = await redis_client().zrange(
            self._key(room_id), f"({time.time()}", "+inf", byscore=True
        )
        return [Member.decode(entry) for entry in raw]

    async def _touch(self, entries):
        expires = time.time() + TTL_SECONDS
        async with redis_client().pipeline(transaction=False) as pipe:
            for (room_id, _connection), member in entries:
                pipe.zadd(self._key(room_id), {member.encode(): expires})
                pipe.expire(self._key(room_id), TTL_SECONDS * 2)
            await pipe.execute()


_stores: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def presence_store() -> PresenceStore:
    """The store for the running event loop (one per process in production)."""
    loop = asyncio.get_running_loop()
    store = _stores.get(loop)
    if store is None:
        store = RedisPresence() if settings.REDIS_URL else LocalPresence()
        _stores[loop] = store
    return store
