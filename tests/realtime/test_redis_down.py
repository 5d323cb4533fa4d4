"""While Redis is down: frames get a clear ``service_unavailable`` error and a
refused handshake is a close code (4503), never a bare HTTP 500."""

import asyncio
import json
import shutil
import subprocess
import time
import uuid

import pytest
import websockets
from channels.db import database_sync_to_async as sync_to_async

from tests.conftest import session_token_for
from tests.realtime.servers import free_port, services_env, start_daphne, stop

pytestmark = pytest.mark.django_db(transaction=True)


async def test_handshake_closes_with_4503_when_redis_refuses(
    ws, session, newcomer, settings
):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing there
    assert await ws.refused(f"/ws/rooms/{session.pk}/", user=newcomer) == 4503


@pytest.fixture
def private_redis():
    """A redis-server of our own on a free port, which the test may stop
    (never the shared one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed")
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    argv += ["--appendonly", "no"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _attempt in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    client.close()
    yield process, f"redis://127.0.0.1:{port}/0"
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.services
async def test_while_redis_is_down_frames_and_handshakes_say_so(
    private_redis, session, newcomer, tmp_path
):
    redis_server, redis_url = private_redis
    env = services_env(REDIS_URL=redis_url, REDIS_PREFIX=f"t{uuid.uuid4().hex[:6]}")
    daphne, port = start_daphne(env, log=tmp_path / "daphne.log")
    token = await sync_to_async(session_token_for)(newcomer)
    url = f"ws://127.0.0.1:{port}/ws/rooms/{session.pk}/"
    headers = {"X-Session-Token": token}
    try:
        # The precondition: joined while Redis is up (on a loaded machine the
        # database may be briefly out of connections: 4503 too, so try again).
        for attempt in range(5):
            socket = await websockets.connect(url, additional_headers=headers)
            try:
                assert json.loads(await socket.recv())["type"] == "hello"
                break
            except websockets.ConnectionClosed:
                if attempt == 4:
                    log = (tmp_path / "daphne.log").read_text()[-3000:]
                    raise AssertionError(log) from None
                await asyncio.sleep(1)

        redis_server.terminate()
        redis_server.wait(timeout=10)

        client_msg_id = str(uuid.uuid4())
        await socket.send(
            json.dumps(
                {
                    "type": "message.send",
                    "body": "Vai dzirdat?",
                    "client_msg_id": client_msg_id,
                }
            )
        )
        while True:
            frame = json.loads(await asyncio.wait_for(socket.recv(), 30))
            if frame["type"] == "error":
                break
        assert frame["code"] == "service_unavailable"
        assert frame["client_msg_id"] == client_msg_id
        await socket.send(json.dumps({"type": "ping"}))  # the socket lives on
        while json.loads(await asyncio.wait_for(socket.recv(), 30))["type"] != "pong":
            pass
        await socket.close()

        # A new handshake is accepted and closed with 4503: retry later.
        refused = await websockets.connect(url, additional_headers=headers)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(refused.recv(), 30)
        assert closed.value.rcvd.code == 4503
    finally:
        stop(daphne)
