"""Sessions end everywhere: log-out, password change and reset, deactivation
and account deletion close the person's open sockets with 4401 (one process,
in-memory layer; tests/realtime/test_cross_process.py does it across two)."""

import re

import pytest
from asgiref.sync import sync_to_async
from django.core import mail
from django.db import transaction
from rest_framework.test import APIClient

from backend.accounts.models import User
from realtime.events import user_sockets_close
from tests.conftest import session_token_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"
NEW_PASSWORD = "another-Long-passphrase-7"


async def join_with_token(ws, session, token: str):
    from tests.realtime.ws import Client

    communicator, connected, _ = await ws.open(
        f"/ws/rooms/{session.pk}/", headers=[(b"x-session-token", token.encode())]
    )
    assert connected
    client = Client(communicator)
    client.hello = await client.recv("hello")
    return client


def app_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_SESSION_TOKEN=token)
    return client


async def test_app_logout_closes_that_sessions_sockets_only(ws, session, newcomer):
    token = await sync_to_async(session_token_for)(newcomer)
    other_token = await sync_to_async(session_token_for)(newcomer)
    logging_out = await join_with_token(ws, session, token)
    same_session = await join_with_token(ws, session, token)
    other_device = await join_with_token(ws, session, other_token)

    response = await sync_to_async(app_client(token).delete)(f"{APP}/auth/session")
    assert response.status_code == 401  # allauth: logged out

    assert await logging_out.closed_with() == 4401
    assert await same_session.closed_with() == 4401
    # The phone's log-in is another session: it stays and keeps working.
    await other_device.send({"type": "ping"})
    assert (await other_device.recv("pong"))["type"] == "pong"


async def test_browser_logout_closes_the_cookie_socket(ws, session, newcomer):
    @sync_to_async
    def browser_login():
        client = APIClient()
        response = client.post(
            f"{BROWSER}/auth/login",
            {"email": newcomer.email, "password": PASSWORD},
            format="json",
        )
        assert response.status_code == 200, response.content
        return client, client.cookies["sessionid"].value

    client, cookie = await browser_login()
    from tests.realtime.ws import Client

    communicator, connected, _ = await ws.open(
        f"/ws/rooms/{session.pk}/",
        headers=[(b"cookie", f"sessionid={cookie}".encode())],
        origin="http://testserver",
    )
    assert connected
    socket = Client(communicator)
    await socket.recv("hello")

    response = await sync_to_async(client.delete)(f"{BROWSER}/auth/session")
    assert response.status_code == 401
    assert await socket.closed_with() == 4401


async def test_password_change_closes_all_the_users_sockets(
    ws, session, newcomer, volunteer
):
    token = await sync_to_async(session_token_for)(newcomer)
    here = await join_with_token(ws, session, token)
    elsewhere = await ws.join(session, newcomer)
    host = await ws.join(session, volunteer)

    response = await sync_to_async(app_client(token).post)(
        f"{APP}/account/password/change",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content

    assert await here.closed_with() == 4401
    assert await elsewhere.closed_with() == 4401
    await host.send({"type": "ping"})  # someone else's socket lives on
    assert (await host.recv("pong"))["type"] == "pong"


async def test_a_wrong_current_password_closes_nothing(ws, session, newcomer):
    token = await sync_to_async(session_token_for)(newcomer)
    socket = await join_with_token(ws, session, token)
    response = await sync_to_async(app_client(token).post)(
        f"{APP}/account/password/change",
        {"current_password": "not-my-password-1", "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 400
    await socket.send({"type": "ping"})
    assert (await socket.recv("pong"))["type"] == "pong"


async def test_password_reset_closes_the_users_sockets(ws, session, newcomer):
    socket = await ws.join(session, newcomer)

    @sync_to_async
    def reset() -> None:
        client = APIClient()
        response = client.post(
            f"{APP}/auth/password/request", {"email": newcomer.email}, format="json"
        )
        assert response.status_code == 200, response.content
        key = re.search(
            r"/accounts/password/reset/key/([^\s/]+)/", mail.outbox[-1].body
        )[1]
        response = client.post(
            f"{APP}/auth/password/reset",
            {"key": key, "password": NEW_PASSWORD},
            format="json",
        )
        assert response.status_code in (200, 401), response.content

    await reset()
    assert await socket.closed_with() == 4401


async def test_deactivation_closes_the_users_sockets(ws, session, newcomer):
    socket = await ws.join(session, newcomer)

    @sync_to_async
    def deactivate() -> None:
        user = User.objects.get(pk=newcomer.pk)
        user.is_active = False
        user.save()  # what the admin's change form does

    await deactivate()
    assert await socket.closed_with() == 4401
    # ...and the handshake refuses them from now on.
    code = await ws.refused(f"/ws/rooms/{session.pk}/", user=newcomer)
    assert code == 4401


async def test_admin_password_change_closes_the_users_sockets(
    ws, session, newcomer, staff
):
    socket = await ws.join(session, newcomer)

    @sync_to_async
    def admin_sets_password() -> None:
        from django.test import Client

        staff.is_superuser = True
        staff.save()
        admin = Client()
        admin.force_login(staff)
        response = admin.post(
            f"/admin/accounts/user/{newcomer.pk}/password/",
            {
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "usable_password": "true",
            },
        )
        assert response.status_code == 302, response.content

    await admin_sets_password()
    assert await socket.closed_with() == 4401


async def test_saving_other_fields_closes_nothing(ws, session, newcomer):
    socket = await ws.join(session, newcomer)

    @sync_to_async
    def rename() -> None:
        user = User.objects.get(pk=newcomer.pk)
        user.display_name = "Olena K."
        user.save()

    await rename()
    await socket.send({"type": "ping"})
    assert (await socket.recv("pong"))["type"] == "pong"


async def test_user_sockets_close_is_sent_on_commit_only(ws, session, newcomer):
    socket = await ws.join(session, newcomer)

    @sync_to_async
    def rolled_back() -> None:
        with pytest.raises(RuntimeError), transaction.atomic():
            user_sockets_close(user_id=newcomer.pk)
            raise RuntimeError("the deletion failed")

    await rolled_back()
    await socket.send({"type": "ping"})
    assert (await socket.recv("pong"))["type"] == "pong"

    @sync_to_async
    def committed() -> None:
        with transaction.atomic():
            user_sockets_close(user_id=newcomer.pk)

    await committed()
    assert await socket.closed_with() == 4401


@pytest.mark.parametrize(
    "end_session",
    ["deactivate", "delete_session", "change_password"],
)
async def test_a_lost_close_is_caught_when_the_user_next_writes(
    ws, session, newcomer, monkeypatch, end_session
):
    from importlib import import_module

    from django.conf import settings

    from realtime.consumers import frames
    from realtime.models import Message

    monkeypatch.setattr(frames, "ACCESS_RECHECK_SECONDS", 0)
    token = await sync_to_async(session_token_for)(newcomer)
    socket = await join_with_token(ws, session, token)

    @sync_to_async
    def end_without_signals() -> None:
        # Bulk updates send no signals: as if the close had been lost.
        users = User.objects.filter(pk=newcomer.pk)
        if end_session == "deactivate":
            users.update(is_active=False)
        elif end_session == "delete_session":
            import_module(settings.SESSION_ENGINE).SessionStore(token).delete()
        else:
            users.update(password="md5$other$0123456789abcdef")

    await end_without_signals()
    await socket.send(
        {
            "type": "message.send",
            "body": "still here?",
            "client_msg_id": "6c0d1f8e-3f3a-4e8e-9a55-6b7f0e2f4a12",
        }
    )
    assert await socket.closed_with() == 4401
    assert not await sync_to_async(Message.objects.exists)()
