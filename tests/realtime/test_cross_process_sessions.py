"""Sessions end everywhere, across two real daphne processes sharing one Redis.

Run in CI's PostgreSQL + Redis pass (``services`` marker)."""

import asyncio
import urllib.error
import urllib.request

import pytest
import websockets
from channels.db import database_sync_to_async as sync_to_async

from realtime.events import user_sockets_close
from tests.conftest import session_token_for
from tests.realtime.test_cross_process import Socket, two_servers  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


async def open_with_token(port: int, session, token: str) -> Socket:
    connection = await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/rooms/{session.pk}/",
        additional_headers={"X-Session-Token": token},
        open_timeout=10,
    )
    socket = Socket(connection)
    socket.hello = await socket.recv("hello")
    return socket


async def close_code(socket: Socket) -> int:
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await socket.recv("never")
    return closed.value.rcvd.code


async def still_open(socket: Socket) -> bool:
    await socket.send({"type": "ping"})
    return (await socket.recv("pong"))["type"] == "pong"


def http_delete(url: str, token: str) -> int:
    request = urllib.request.Request(  # noqa: S310 (our own test server)
        url, method="DELETE", headers={"X-Session-Token": token}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_logout_on_one_process_closes_that_sessions_sockets_on_both(
    two_servers,  # noqa: F811
    session,
    newcomer,
    volunteer,
):
    port_a, port_b = two_servers
    phone = await sync_to_async(session_token_for)(newcomer)
    laptop = await sync_to_async(session_token_for)(newcomer)
    on_a = await open_with_token(port_a, session, phone)
    on_b = await open_with_token(port_b, session, phone)
    laptop_on_b = await open_with_token(port_b, session, laptop)
    host = await open_with_token(
        port_a, session, await sync_to_async(session_token_for)(volunteer)
    )
    try:
        status = await asyncio.to_thread(
            http_delete,
            f"http://127.0.0.1:{port_a}/_allauth/app/v1/auth/session",
            phone,
        )
        assert status == 401  # allauth: logged out
        assert await close_code(on_a) == 4401
        assert await close_code(on_b) == 4401
        assert await still_open(laptop_on_b)

        # Account deletion (or any change that ends every session) calls this
        # after commit, in whatever process it runs in.
        await sync_to_async(user_sockets_close)(user_id=newcomer.pk)
        assert await close_code(laptop_on_b) == 4401
        assert await still_open(host)
    finally:
        for socket in (on_a, on_b, laptop_on_b, host):
            await socket.connection.close()


async def test_deactivation_closes_sockets_on_both_processes(
    two_servers,  # noqa: F811
    session,
    newcomer,
):
    token = await sync_to_async(session_token_for)(newcomer)
    sockets = [await open_with_token(port, session, token) for port in two_servers]
    try:

        @sync_to_async
        def deactivate() -> None:
            newcomer.is_active = False
            newcomer.save()

        await deactivate()
        for socket in sockets:
            assert await close_code(socket) == 4401
    finally:
        for socket in sockets:
            await socket.connection.close()
