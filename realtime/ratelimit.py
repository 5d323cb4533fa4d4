"""Per user, per room rate limit of the frames that write: a burst, then a rate.

GCRA (a token bucket kept as one number, the "theoretical arrival time"):
a request at ``now`` is allowed if ``max(tat, now) + interval - now`` is at
most ``burst * interval``. With REDIS_URL the state lives in Redis and is
updated by one Lua call using Redis' clock, so the limit holds across every
process; in the embedded mode it lives in this process.
"""

import asyncio
import time
import weakref

from django.conf import settings

from realtime.presence import redis_client

_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval
local wait = new_tat - now - burst * interval
if wait > 0 then return tostring(wait) end
local ttl = math.ceil((new_tat - now) * 1000) + 1
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', ttl)
return '0'
"""


class RateLimiter:
    def __init__(self, *, burst: int, per_second: float) -> None:
        self.burst = burst
        self.interval = 1.0 / per_second

    async def hit(self, key: str) -> float:
        """Count one request; 0 if allowed, else the seconds to wait."""
        raise NotImplementedError


class LocalRateLimiter(RateLimiter):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._tat: dict[str, float] = {}
        self._next_prune = 0.0

    async def hit(self, key: str) -> float:
        now = time.monotonic()
        if now >= self._next_prune:
            # Idle keys hold no information (their tat is in the past).
            self._tat = {k: v for k, v in self._tat.items() if v > now}
            self._next_prune = now + 60
        new_tat = max(self._tat.get(key, now), now) + self.interval
        wait = new_tat - now - self.burst * self.interval
        if wait > 0:
            return wait
        self._tat[key] = new_tat
        return 0.0


class RedisRateLimiter(RateLimiter):
    async def hit(self, key: str) -> float:
        client = redis_client()
        script = _scripts.get(client)
        if script is None:
            # EVALSHA after the first call; reloaded if Redis restarted.
            script = _scripts[client] = client.register_script(_GCRA)
        wait = await script(
            keys=[f"{settings.REDIS_PREFIX}:rate:{key}"],
            args=[self.interval, self.burst],
        )
        return float(wait)


_scripts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


_limiters: dict = {}


def rate_limiter() -> RateLimiter:
    """The limiter for the current settings and event loop."""
    burst = settings.REALTIME_RATE_BURST
    per_second = settings.REALTIME_RATE_PER_SECOND
    key = (asyncio.get_running_loop(), bool(settings.REDIS_URL), burst, per_second)
    limiter = _limiters.get(key)
    if limiter is None:
        cls = RedisRateLimiter if settings.REDIS_URL else LocalRateLimiter
        limiter = cls(burst=burst, per_second=per_second)
        if len(_limiters) > 32:  # old test loops; production has one loop
            _limiters.clear()
        _limiters[key] = limiter
    return limiter
