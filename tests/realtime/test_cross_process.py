"""Two real daphne processes sharing one Redis and the PostgreSQL test database.

Run in CI's PostgreSQL + Redis pass (``services`` marker)."""

import asyncio
import json
import threading
import uuid

import pytest
import websockets
from channels.db import database_sync_to_async as sync_to_async
from django.db import connection

from realtime import services
from realtime.events import room_access_revoked
from realtime.models import Message, Room
from tests.conftest import session_token_for
from tests.factories import UserFactory
from tests.realtime.conftest import register
from tests.realtime.servers import services_env, start_daphne, stop

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_servers():
    env = services_env()
    servers = []
    try:
        for _ in range(2):
            servers.append(start_daphne(env))
        yield [port for _process, port in servers]
    finally:
        for process, _port in servers:
            stop(process)


class Socket:
    def __init__(self, connection) -> None:
        self.connection = connection

    async def recv(self, *types: str) -> dict:
        while True:
            frame = json.loads(await asyncio.wait_for(self.connection.recv(), 10))
            if frame["type"] in types:
                return frame

    async def send(self, frame: dict) -> None:
        await self.connection.send(json.dumps(frame))


async def open_socket(port: int, session, user) -> Socket:
    token = await sync_to_async(session_token_for)(user)
    connection = await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/rooms/{session.pk}/",
        additional_headers={"X-Session-Token": token},
        open_timeout=10,
    )
    socket = Socket(connection)
    socket.hello = await socket.recv("hello")
    return socket


def message_frame(body: str) -> dict:
    return {"type": "message.send", "body": body, "client_msg_id": str(uuid.uuid4())}


async def test_messages_presence_deletions_and_kicks_cross_processes(
    two_servers, session, newcomer, volunteer
):
    port_a, port_b = two_servers
    olena = await open_socket(port_a, session, newcomer)
    janis = await open_socket(port_b, session, volunteer)
    try:
        # Presence is shared: B's hello knows Olena (on A); A hears of Jānis.
        assert {u["user_id"] for u in janis.hello["online"]} == {
            newcomer.pk,
            volunteer.pk,
        }
        while True:
            online = (await olena.recv("presence"))["online"]
            if {u["user_id"] for u in online} == {newcomer.pk, volunteer.pk}:
                break

        await olena.send(message_frame("Labdien no A"))
        ack = (await olena.recv("message.new"))["message"]
        relayed = (await janis.recv("message.new"))["message"]
        assert relayed == ack

        # Over real daphne too, a frame over 64 KiB is an error, not a close.
        await olena.connection.send('{"type": "typing", "pad": "' + "x" * 70000 + '"}')
        assert (await olena.recv("error"))["code"] == "frame_too_large"

        await janis.send({"type": "message.delete", "message_id": ack["id"]})
        deleted = await olena.recv("message.deleted")
        assert (deleted["message_id"], deleted["deleted_by"]) == (
            ack["id"],
            volunteer.pk,
        )

        # Olena cancels: the clubs app calls this after commit, in any process.
        await sync_to_async(room_access_revoked)(
            session_id=session.pk, user_id=newcomer.pk
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await olena.recv("never")
        assert closed.value.rcvd.code == 4403
        while True:
            online = (await janis.recv("presence"))["online"]
            if [u["user_id"] for u in online] == [volunteer.pk]:
                break
    finally:
        await olena.connection.close()
        await janis.connection.close()


async def test_concurrent_senders_on_two_processes_see_one_gap_free_order(
    two_servers, session, volunteer
):
    @sync_to_async
    def members(n: int):
        users = [UserFactory() for _ in range(n)]
        for user in users:
            register(session, user)
        return users

    users = [volunteer, *await members(3)]
    sockets = [
        await open_socket(two_servers[i % 2], session, user)
        for i, user in enumerate(users)
    ]
    per_sender = 8  # within the default burst of 10: no rate limiting
    try:

        async def talk(socket: Socket, index: int) -> None:
            for n in range(per_sender):
                await socket.send(message_frame(f"{index}-{n}"))

        await asyncio.gather(*(talk(s, i) for i, s in enumerate(sockets)))
        total = per_sender * len(sockets)
        for socket in sockets:
            seqs = [
                (await socket.recv("message.new"))["message"]["seq"]
                for _ in range(total)
            ]
            assert seqs == list(range(1, total + 1))
    finally:
        for socket in sockets:
            await socket.connection.close()
    stored = await sync_to_async(list)(
        Message.objects.order_by("seq").values_list("seq", flat=True)
    )
    assert stored == list(range(1, total + 1))


def test_concurrent_senders_keep_seq_gap_free_on_postgresql(session, newcomer):
    Room.objects.get_or_create(session=session)
    retry_id = uuid.uuid4()
    errors: list[BaseException] = []

    def sender(index: int) -> None:
        try:
            for n in range(15):
                services.message_send(
                    room_id=session.pk,
                    user=newcomer,
                    body=f"{index}-{n}",
                    client_msg_id=uuid.uuid4(),
                )
            # Every thread also retries one shared client_msg_id.
            services.message_send(
                room_id=session.pk,
                user=newcomer,
                body="retried",
                client_msg_id=retry_id,
            )
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    seqs = list(Message.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 8 * 15 + 2))
    assert Message.objects.filter(client_msg_id=retry_id).count() == 1
    assert Room.objects.get(pk=session.pk).last_seq == 8 * 15 + 1
