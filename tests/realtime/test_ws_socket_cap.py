"""The per-user cap on open sockets, in one process (in-memory layer)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_socket_past_the_cap_is_closed_with_4408(
    ws, session, newcomer, volunteer, settings
):
    settings.REALTIME_MAX_SOCKETS_PER_USER = 2
    first = await ws.join(session, newcomer)
    await ws.join(session, newcomer)
    assert await ws.refused(f"/ws/rooms/{session.pk}/", user=newcomer) == 4408
    # Someone else's sockets are not counted against her.
    await ws.join(session, volunteer)
    await ws.join(session, volunteer)

    # Closing one frees its place.
    await first.communicator.disconnect()
    third = await ws.join(session, newcomer)
    assert third.hello["user_id"] == newcomer.pk


async def test_refused_handshakes_do_not_use_up_the_cap(
    ws, session, newcomer, settings
):
    settings.REALTIME_MAX_SOCKETS_PER_USER = 1
    for _ in range(3):  # not a room: 4404, and nothing stays counted
        assert await ws.refused("/ws/rooms/999999/", user=newcomer) == 4404
    client = await ws.join(session, newcomer)
    assert client.hello["user_id"] == newcomer.pk
