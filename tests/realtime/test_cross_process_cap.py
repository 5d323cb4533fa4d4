"""The per-user socket cap holds across two real daphne processes (Redis).

Run in CI's PostgreSQL + Redis pass (``services`` marker)."""

import asyncio

import pytest
import websockets
from channels.db import database_sync_to_async as sync_to_async

from tests.conftest import session_token_for
from tests.realtime.servers import services_env, start_daphne, stop
from tests.realtime.test_cross_process_sessions import (
    close_code,
    open_with_token,
    still_open,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def capped_servers(tmp_path):
    env = services_env(REALTIME_MAX_SOCKETS_PER_USER="2")
    servers = []
    try:
        for n in range(2):
            servers.append(start_daphne(env, log=tmp_path / f"daphne{n}.log"))
        yield [port for _process, port in servers]
    finally:
        for process, _port in servers:
            stop(process)


async def test_the_cap_counts_a_users_sockets_on_every_process(
    capped_servers, session, newcomer, volunteer
):
    port_a, port_b = capped_servers
    token = await sync_to_async(session_token_for)(newcomer)
    first = await open_with_token(port_a, session, token)
    second = await open_with_token(port_b, session, token)
    opened = [first, second]
    try:
        for port in (port_a, port_b):
            refused = await websockets.connect(
                f"ws://127.0.0.1:{port}/ws/rooms/{session.pk}/",
                additional_headers={"X-Session-Token": token},
                open_timeout=10,
            )
            opened.append(type(first)(refused))
            assert await close_code(opened[-1]) == 4408
        assert await still_open(first) and await still_open(second)

        # Another user has places of their own.
        host_token = await sync_to_async(session_token_for)(volunteer)
        opened.append(await open_with_token(port_a, session, host_token))

        # Closing one on B frees a place, also for A.
        await second.connection.close()
        # B uncounts it just after the close handshake: try until it has.
        for _attempt in range(50):
            try:
                opened.append(await open_with_token(port_a, session, token))
                break
            except websockets.ConnectionClosed as closed:
                assert closed.rcvd.code == 4408
                await asyncio.sleep(0.1)
        assert opened[-1].hello["user_id"] == newcomer.pk
    finally:
        for socket in opened:
            await socket.connection.close()
