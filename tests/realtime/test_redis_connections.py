"""One daphne's Redis connections stay within its pools' bound, however many
sockets one user opens, and after they close (issue 9: 1,000 sockets made one
process hold 1,399, and hundreds stayed open). Figures: docs/performance.md.

Run in CI's PostgreSQL + Redis pass (``services`` marker)."""

import asyncio
import json
import urllib.parse
import urllib.request
import uuid

import pytest
import websockets
from channels.db import database_sync_to_async as sync_to_async
from django.conf import settings

from tests.conftest import session_token_for
from tests.factories import PASSWORD
from tests.realtime.servers import (
    redis_client_names,
    redis_connections_of,
    services_env,
    start_daphne,
    stop,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SOCKETS = 150
CACHE_POOL, REALTIME_POOL, LAYER = 3, 5, settings.REDIS_LAYER_MAX_CONNECTIONS
BOUND = CACHE_POOL + REALTIME_POOL + LAYER


@pytest.fixture
def server(tmp_path):
    prefix = f"{settings.REDIS_PREFIX}-t{uuid.uuid4().hex[:6]}"
    env = services_env(
        REDIS_PREFIX=prefix,
        REDIS_CACHE_MAX_CONNECTIONS=str(CACHE_POOL),
        REALTIME_REDIS_MAX_CONNECTIONS=str(REALTIME_POOL),
        REALTIME_MAX_SOCKETS_PER_USER=str(SOCKETS + 10),
    )
    # A loaded CI machine may take more than daphne's default 5 s to answer
    # a handshake; what is measured here is connections, not speed.
    process, port = start_daphne(
        env,
        log=tmp_path / "daphne.log",
        options=("--websocket_connect_timeout", "60"),
    )
    try:
        yield process, port, prefix
    finally:
        stop(process)


def app_login(port: int, email: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_allauth/app/v1/auth/login",
        data=json.dumps({"email": email, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_redis_connections_stay_within_the_pools_and_after_close(
    server, session, newcomer
):
    process, port, prefix = server
    redis_port = urllib.parse.urlsplit(settings.REDIS_URL).port or 6379
    token = await sync_to_async(session_token_for)(newcomer)
    url = f"ws://127.0.0.1:{port}/ws/rooms/{session.pk}/"
    counts: list[int] = []
    sampling = True

    async def sample() -> None:
        while sampling:
            counts.append(redis_connections_of(process.pid, redis_port))
            await asyncio.sleep(0.05)

    async def connect():
        ws = await websockets.connect(
            url, additional_headers={"X-Session-Token": token}, open_timeout=60
        )
        assert json.loads(await asyncio.wait_for(ws.recv(), 60))["type"] == "hello"
        return ws

    sampler = asyncio.create_task(sample())
    sockets = []
    try:
        for _ in range(0, SOCKETS, 10):
            sockets += await asyncio.gather(*(connect() for _ in range(10)))
        for ws in sockets:
            await ws.send(json.dumps({"type": "ping"}))
        for ws in sockets:
            while json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] != "pong":
                pass
        while_open = redis_connections_of(process.pid, redis_port)
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    # Closing all at once is the burst that used to open a connection each.
    await asyncio.sleep(1)
    sampling = False
    await sampler
    after_close = redis_connections_of(process.pid, redis_port)

    assert 0 < while_open <= BOUND
    assert max(counts) <= BOUND
    assert after_close <= BOUND
    # Every connection is one of the named pools (CLIENT LIST agrees).
    names = await asyncio.to_thread(redis_client_names, settings.REDIS_URL, prefix)
    assert set(names) <= {f"{prefix}:cache", f"{prefix}:realtime", f"{prefix}:layer"}
    assert sum(names.values()) == after_close
    # And log-in (cache, sessions, rate limits) still works on that process.
    assert await asyncio.to_thread(app_login, port, newcomer.email) == 200
