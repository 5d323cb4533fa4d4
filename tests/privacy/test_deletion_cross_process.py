"""An account deleted through one server process loses its sockets on another:
two real daphne processes sharing one Redis (CI's ``services`` pass)."""

import asyncio
import json
import urllib.error
import urllib.request

import pytest
from channels.db import database_sync_to_async as sync_to_async

from backend.accounts.models import User
from tests.conftest import session_token_for
from tests.factories import PASSWORD
from tests.realtime.test_cross_process import two_servers  # noqa: F401
from tests.realtime.test_cross_process_sessions import (
    close_code,
    open_with_token,
    still_open,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def delete_account(port: int, token: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/me/",
        method="DELETE",
        data=json.dumps({"password": PASSWORD, "keep_messages": True}).encode(),
        headers={"X-Session-Token": token, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_deleting_on_one_process_closes_the_sockets_on_both(
    two_servers,  # noqa: F811
    session,
    newcomer,
    volunteer,
):
    port_a, port_b = two_servers
    phone = await sync_to_async(session_token_for)(newcomer)
    laptop = await sync_to_async(session_token_for)(newcomer)
    on_a = await open_with_token(port_a, session, phone)
    on_b = await open_with_token(port_b, session, laptop)
    host = await open_with_token(
        port_b, session, await sync_to_async(session_token_for)(volunteer)
    )
    try:
        status = await asyncio.to_thread(delete_account, port_a, phone)

        assert status == 204
        assert await close_code(on_a) == 4401
        assert await close_code(on_b) == 4401
        assert await still_open(host)
        deleted = await sync_to_async(User.objects.get)(pk=newcomer.pk)
        assert deleted.deleted_at is not None
    finally:
        for socket in (on_a, on_b, host):
            await socket.connection.close()
