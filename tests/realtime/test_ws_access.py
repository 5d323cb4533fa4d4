"""Handshake: authentication, Origin, permissions and close codes."""

import asyncio
import logging

import pytest
from asgiref.sync import sync_to_async

from clubs.models import Club
from clubs.services.attendance import attendance_mark
from clubs.services.clubs import club_update
from clubs.services.registrations import registration_cancel
from clubs.services.sessions import session_cancel
from realtime.events import room_access_revoked
from tests.factories import VolunteerFactory
from tests.realtime.conftest import make_session, register
from tests.realtime.ws import Client

pytestmark = pytest.mark.django_db(transaction=True)


def room_path(session) -> str:
    return f"/ws/rooms/{session.pk}/"


async def test_token_header_without_origin_joins_with_hello(ws, session, newcomer):
    client = await ws.join(session, newcomer)
    hello = client.hello
    assert hello["room_id"] == session.pk
    assert hello["role"] == "participant"
    assert hello["user_id"] == newcomer.pk
    assert hello["last_seq"] == 0
    assert hello["online"] == [{"user_id": newcomer.pk, "display_name": "Olena"}]
    assert hello["muted_until"] is None
    assert hello["limits"]["body_max_chars"] == 2000


async def test_the_handshake_is_accepted_before_the_checks_that_answer_it(
    ws, session, newcomer, stranger, monkeypatch
):
    # daphne refuses a handshake the app has not accepted within 5 s; under a
    # reconnect storm the checks wait longer than that for their turn.
    from realtime import auth

    checks_may_run = asyncio.Event()
    authenticate = auth.authenticate

    async def waiting_authenticate(candidates):
        await checks_may_run.wait()
        return await authenticate(candidates)

    monkeypatch.setattr(auth, "authenticate", waiting_authenticate)
    communicator, connected, _ = await ws.open(room_path(session), user=newcomer)
    refused, refused_connected, _ = await ws.open(room_path(session), user=stranger)
    assert connected and refused_connected  # while the checks still wait
    assert await communicator.receive_nothing(timeout=0.1)

    checks_may_run.set()
    assert (await Client(communicator).recv("hello"))["user_id"] == newcomer.pk
    assert await Client(refused).closed_with() == 4403  # not a member


async def test_subprotocol_token_is_answered_with_runa_v1_only(ws, session, newcomer):
    _communicator, connected, subprotocol = await ws.open(
        room_path(session), user=newcomer, via="subprotocol"
    )
    assert connected
    assert subprotocol == "runa.v1"


async def test_cookie_from_an_allowed_origin_joins(ws, session, newcomer):
    client = await ws.join(session, newcomer, via="cookie", origin="http://testserver")
    assert client.hello["role"] == "participant"


async def test_cookie_from_a_trusted_origin_joins(ws, session, newcomer, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.runa.example"]
    client = await ws.join(
        session, newcomer, via="cookie", origin="https://app.runa.example"
    )
    assert client.hello["role"] == "participant"


@pytest.mark.parametrize(
    ("via", "origin", "code"),
    [
        ("cookie", None, 4401),  # cookies need an Origin: no cross-site hijack
        ("cookie", "https://evil.example", 4403),
        ("header", "https://evil.example", 4403),
        ("subprotocol", "null", 4403),
        (None, None, 4401),
        (None, "http://testserver", 4401),
    ],
)
async def test_handshake_refusals(ws, session, newcomer, via, origin, code):
    kwargs = {"via": via, "user": newcomer} if via else {}
    assert await ws.refused(room_path(session), origin=origin, **kwargs) == code


@pytest.mark.parametrize(
    "headers",
    [
        [(b"x-session-token", b"not-a-token")],
        [(b"x-session-token", b"x" * 5000)],
        [(b"cookie", b"sessionid=nope"), (b"origin", b"http://testserver")],
        [(b"cookie", b"\x00;;=bad"), (b"origin", b"http://testserver")],
    ],
)
async def test_bad_credentials_close_with_4401(ws, session, headers):
    assert await ws.refused(room_path(session), headers=headers) == 4401


async def test_bad_subprotocol_token_closes_with_4401(ws, session):
    code = await ws.refused(room_path(session), subprotocols=["runa.v1", "token.xyz"])
    assert code == 4401


async def test_a_valid_token_wins_over_a_stale_cookie(ws, session, newcomer):
    client = await ws.join(
        session,
        newcomer,
        origin="http://testserver",
        headers=[(b"cookie", b"sessionid=stale")],
    )
    assert client.hello["user_id"] == newcomer.pk


@pytest.mark.parametrize(
    ("person", "role"),
    [("newcomer", "participant"), ("volunteer", "host"), ("staff", "staff")],
    indirect=["person"],
)
async def test_who_may_join(ws, session, person, role):
    client = await ws.join(session, person)
    assert client.hello["role"] == role


@pytest.mark.parametrize(
    "person", ["waitlisted", "stranger", "other_member"], indirect=True
)
async def test_who_may_not_join(ws, session, person):
    assert await ws.refused(room_path(session), user=person) == 4403


async def test_cancelled_registration_may_not_join(ws, session, newcomer):
    await sync_to_async(session.registrations.filter(user=newcomer).update)(
        status="cancelled"
    )
    assert await ws.refused(room_path(session), user=newcomer) == 4403


@pytest.mark.parametrize(
    "path", ["/ws/rooms/999999/", "/ws/rooms/abc/", "/ws/nothing/", "/ws/rooms/1"]
)
async def test_unknown_rooms_close_with_4404(ws, newcomer, path):
    assert await ws.refused(path, user=newcomer) == 4404


async def test_revoked_access_closes_every_socket_of_that_user_only(
    ws, session, newcomer, volunteer
):
    phone = await ws.join(session, newcomer)
    laptop = await ws.join(session, newcomer)
    host = await ws.join(session, volunteer)

    await sync_to_async(room_access_revoked)(session_id=session.pk, user_id=newcomer.pk)

    assert await phone.closed_with() == 4403
    assert await laptop.closed_with() == 4403
    await host.presence_becomes([volunteer.pk])
    await host.send({"type": "ping"})
    assert (await host.recv())["type"] == "pong"


async def test_room_access_revoked_without_sockets_is_harmless(
    session, newcomer, caplog
):
    with caplog.at_level(logging.WARNING):
        await sync_to_async(room_access_revoked)(
            session_id=session.pk, user_id=newcomer.pk
        )
    assert not caplog.records


async def test_room_access_revoked_raises_when_the_layer_fails(
    session, newcomer, monkeypatch
):
    from channels.layers import get_channel_layer

    async def broken(group, event):
        raise ConnectionError("the layer is down")

    monkeypatch.setattr(get_channel_layer(), "group_send", broken)
    with pytest.raises(ConnectionError):
        await sync_to_async(room_access_revoked)(
            session_id=session.pk, user_id=newcomer.pk
        )


# The kick is the only way these sockets can close: the access re-check
# (ACCESS_RECHECK_SECONDS) needs a frame that writes, and none is sent. If the
# kick is not delivered, closed_with() times out and the test fails.


async def test_cancelling_her_place_closes_her_sockets(
    ws, session, newcomer, volunteer
):
    olena = await ws.join(session, newcomer)
    host = await ws.join(session, volunteer)

    await sync_to_async(registration_cancel)(session_id=session.pk, user=newcomer)

    assert await olena.closed_with() == 4403
    await host.presence_becomes([volunteer.pk])


async def test_a_cancelled_session_closes_its_participants_sockets(
    ws, session, newcomer, volunteer
):
    olena = await ws.join(session, newcomer)
    host = await ws.join(session, volunteer)

    await sync_to_async(session_cancel)(session_id=session.pk, reason="Ill")

    assert await olena.closed_with() == 4403
    await host.send({"type": "ping"})
    assert (await host.recv())["type"] == "pong"  # hosts keep their room


async def test_a_no_show_is_closed_out_of_the_room(ws, volunteer, newcomer):
    started = await sync_to_async(make_session)(hosts=[volunteer], starts_in_days=0)
    await sync_to_async(register)(started, newcomer)
    olena = await ws.join(started, newcomer)

    await sync_to_async(attendance_mark)(
        session_id=started.pk, user_id=newcomer.pk, status="no_show"
    )

    assert await olena.closed_with() == 4403


async def test_a_host_removed_from_the_club_is_closed_out(ws, session, volunteer):
    co_host = await sync_to_async(VolunteerFactory)(display_name="Anna")
    club = await sync_to_async(lambda: session.club)()
    await sync_to_async(club.hosts.add)(co_host)
    await sync_to_async(Club.objects.filter(pk=club.pk).update)(address="Tirgus 1")
    anna = await ws.join(session, co_host)
    assert anna.hello["role"] == "host"

    await sync_to_async(club_update)(
        club_id=club.pk, data={"hosts": [volunteer.pk]}, user=volunteer
    )

    assert await anna.closed_with() == 4403


async def test_a_lost_kick_is_caught_when_the_user_next_writes(
    ws, session, newcomer, monkeypatch
):
    from realtime.consumers import frames
    from realtime.models import Message

    monkeypatch.setattr(frames, "ACCESS_RECHECK_SECONDS", 0)
    olena = await ws.join(session, newcomer)
    # She cancels, but the kick never arrives (the layer may drop messages).
    await sync_to_async(session.registrations.filter(user=newcomer).update)(
        status="cancelled"
    )
    await olena.send(
        {
            "type": "message.send",
            "body": "still here?",
            "client_msg_id": "6c0d1f8e-3f3a-4e8e-9a55-6b7f0e2f4a11",
        }
    )
    assert await olena.closed_with() == 4403
    assert not await sync_to_async(Message.objects.exists)()


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://testserver", "testserver", True),
        ("http://localhost:9999", "localhost", False),  # another port (issue 9)
        ("http://localhost", "localhost:9999", False),
        ("http://testserver:8000", "testserver:8000", True),
        ("http://testserver:8000", "testserver", False),
        ("https://testserver", "testserver", False),  # another scheme
        ("http://TestServer", "testserver", True),  # case does not matter
        ("http://evil.example", "evil.example", False),  # a Host not allowed
        ("http://testserver/path", "testserver", False),
        ("http://user@testserver", "testserver", False),
    ],
)
async def test_cookie_origin_must_be_this_servers_exactly(
    ws, session, newcomer, origin, host, allowed
):
    headers = [(b"host", host.encode())]
    if allowed:
        client = await ws.join(
            session, newcomer, via="cookie", origin=origin, headers=headers
        )
        assert client.hello["user_id"] == newcomer.pk
    else:
        code = await ws.refused(
            room_path(session),
            user=newcomer,
            via="cookie",
            origin=origin,
            headers=headers,
        )
        assert code == 4403


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://testserver", True),
        ("http://testserver", False),  # the page was https: a downgrade
    ],
)
async def test_behind_a_tls_proxy_the_origin_is_https(
    ws, session, newcomer, settings, origin, allowed
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    headers = [(b"host", b"testserver"), (b"x-forwarded-proto", b"https")]
    kwargs = {"user": newcomer, "via": "cookie", "origin": origin, "headers": headers}
    if allowed:
        client = await ws.join(session, **kwargs)
        assert client.hello["user_id"] == newcomer.pk
    else:
        assert await ws.refused(room_path(session), **kwargs) == 4403


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://app.runa.example", True),
        ("https://app.runa.example:8443", False),
        ("http://app.runa.example", False),
        ("https://eu.apps.runa.example", True),  # the wildcard entry
        ("https://eu.apps.runa.example:8443", False),
        ("http://eu.apps.runa.example", False),
    ],
)
async def test_trusted_origins_match_scheme_host_and_port_exactly(
    ws, session, newcomer, settings, origin, allowed
):
    settings.CSRF_TRUSTED_ORIGINS = [
        "https://app.runa.example",
        "https://*.apps.runa.example",
    ]
    kwargs = {"user": newcomer, "via": "cookie", "origin": origin}
    if allowed:
        client = await ws.join(session, **kwargs)
        assert client.hello["user_id"] == newcomer.pk
    else:
        assert await ws.refused(room_path(session), **kwargs) == 4403
