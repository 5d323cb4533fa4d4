"""Deleting an account closes its open sockets (in every process: through the
channel layer, as tests/realtime/test_cross_process.py shows for kicks)."""

import pytest
from asgiref.sync import sync_to_async

from privacy.services import account_delete
from tests.realtime.conftest import make_session, register

pytestmark = pytest.mark.django_db(transaction=True)


async def test_deleting_an_account_closes_its_sockets_only(
    ws, session, newcomer, volunteer
):
    past = await sync_to_async(make_session)(hosts=[volunteer], starts_in_days=-2)
    await sync_to_async(register)(past, newcomer, "attended")
    phone = await ws.join(session, newcomer)
    old_room = await ws.join(past, newcomer)
    host = await ws.join(session, volunteer)

    await sync_to_async(account_delete)(user=newcomer, keep_messages=True)

    assert await phone.closed_with() == 4401
    assert await old_room.closed_with() == 4401
    await host.send({"type": "ping"})
    assert (await host.recv())["type"] == "pong"


async def test_a_deleted_account_cannot_open_a_socket_again(ws, session, newcomer):
    from tests.conftest import session_token_for

    token = await sync_to_async(session_token_for)(newcomer)
    await sync_to_async(account_delete)(user=newcomer, keep_messages=True)

    code = await ws.refused(
        f"/ws/rooms/{session.pk}/", headers=[(b"x-session-token", token.encode())]
    )
    assert code == 4401
