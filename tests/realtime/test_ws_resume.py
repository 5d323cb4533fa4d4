"""Resume, gap filling, rate limits and abuse."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from realtime.events import room_group
from realtime.models import Message, Room
from tests.realtime.conftest import send, send_unheard

pytestmark = pytest.mark.django_db(transaction=True)


def send_frame(body):
    return {"type": "message.send", "body": body, "client_msg_id": str(uuid.uuid4())}


async def say(client, body) -> dict:
    await client.send(send_frame(body))
    return (await client.recv("message.new"))["message"]


async def test_reconnect_with_after_seq_replays_exactly_what_was_missed(
    ws, session, newcomer, volunteer
):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)
    await say(janis, "one")
    await say(olena, "two")
    seen = [m["seq"] for m in await janis.messages(1)]
    assert seen == [2]
    await olena.communicator.disconnect()  # the tram enters a tunnel

    for body in ("three", "four", "five"):
        await say(janis, body)

    olena = await ws.join(session, newcomer, query="after_seq=2")
    assert olena.hello["last_seq"] == 5
    replayed = await olena.messages(3)
    assert [(m["seq"], m["body"]) for m in replayed] == [
        (3, "three"),
        (4, "four"),
        (5, "five"),
    ]
    # Then live ones, with no duplicate and no gap.
    await say(janis, "six")
    assert [m["seq"] for m in await olena.messages(1)] == [6]
    assert await olena.nothing()


async def test_resume_frame_replays_in_order_then_live(
    ws, session, newcomer, volunteer
):
    for i in range(1, 5):
        await sync_to_async(send)(session, volunteer, f"m{i}")
    olena = await ws.join(session, newcomer)
    assert olena.hello["last_seq"] == 4

    await olena.send({"type": "resume", "after_seq": 1})

    assert [m["seq"] for m in await olena.messages(3)] == [2, 3, 4]
    janis = await ws.join(session, volunteer)
    await say(janis, "m5")
    assert [m["seq"] for m in await olena.messages(1)] == [5]


async def test_replay_shows_deleted_messages_as_tombstones(
    ws, session, newcomer, volunteer
):
    janis = await ws.join(session, volunteer)
    message = await say(janis, "secret")
    await janis.send({"type": "message.delete", "message_id": message["id"]})
    await janis.recv("message.deleted")
    olena = await ws.join(session, newcomer, query="after_seq=0")
    (replayed,) = await olena.messages(1)
    assert (replayed["deleted"], replayed["body"]) == (True, "")


async def test_too_much_missed_requires_resync(ws, session, newcomer, volunteer):
    @sync_to_async
    def fill():
        room, _ = Room.objects.get_or_create(session=session)
        Message.objects.bulk_create(
            Message(
                room=room, seq=i, author=volunteer, client_msg_id=uuid.uuid4(), body="x"
            )
            for i in range(1, 503)
        )
        Room.objects.filter(pk=room.pk).update(last_seq=502)

    await fill()
    olena = await ws.join(session, newcomer, query="after_seq=1")
    assert await olena.recv() == {
        "type": "resync_required",
        "after_seq": 1,
        "last_seq": 502,
    }
    await olena.send({"type": "resume", "after_seq": 2})
    assert [m["seq"] for m in await olena.messages(500)] == list(range(3, 503))


async def test_invalid_after_seq_in_the_url_is_an_error_not_a_close(
    ws, session, newcomer
):
    olena = await ws.join(session, newcomer, query="after_seq=-3")
    error = await olena.recv("error")
    assert (error["code"], list(error["fields"])) == ("invalid", ["after_seq"])


async def test_messages_lost_by_the_channel_layer_are_filled_from_the_database(
    ws, session, newcomer, volunteer
):
    olena = await ws.join(session, newcomer)
    # Stored, but their broadcasts were dropped (the layer is at-most-once).
    for body in ("lost one", "lost two"):
        await sync_to_async(send_unheard)(session, volunteer, body)
    janis = await ws.join(session, volunteer)

    await say(janis, "arrives")

    assert [(m["seq"], m["body"]) for m in await olena.messages(3)] == [
        (1, "lost one"),
        (2, "lost two"),
        (3, "arrives"),
    ]


async def test_sender_missing_earlier_messages_gets_them_before_its_ack(
    ws, session, newcomer, volunteer
):
    olena = await ws.join(session, newcomer)
    await sync_to_async(send_unheard)(session, volunteer, "dropped broadcast")
    assert [m["seq"] for m in [await say(olena, "mine")]] == [1]  # the gap first
    assert [(m["seq"], m["body"]) for m in await olena.messages(1)] == [(2, "mine")]


async def test_relayed_duplicates_are_skipped(ws, session, newcomer, volunteer):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)
    await say(janis, "hi")
    (first,) = await olena.messages(1)
    await get_channel_layer().group_send(
        room_group(session.pk), {"type": "room.message", "seq": 1, "text": "{}"}
    )
    await olena.send({"type": "ping"})
    assert await olena.recv() == {"type": "pong"}
    assert first["seq"] == 1


async def test_flooding_is_rate_limited_per_user_and_room(
    ws, session, newcomer, settings
):
    settings.REALTIME_RATE_BURST = 3
    olena = await ws.join(session, newcomer)
    for i in range(3):
        await say(olena, f"m{i}")

    frame = send_frame("one too many")
    await olena.send(frame)

    error = await olena.recv("error")
    assert error["code"] == "rate_limited"
    assert 0 < error["retry_after"] <= 1
    assert error["client_msg_id"] == frame["client_msg_id"]
    assert await sync_to_async(Message.objects.count)() == 3
    # A second socket of the same user shares the limit.
    laptop = await ws.join(session, newcomer)
    await laptop.send(send_frame("from the laptop"))
    assert (await laptop.recv("error"))["code"] == "rate_limited"


async def test_repeated_abuse_closes_with_4429(ws, session, newcomer, settings):
    settings.REALTIME_RATE_BURST = 2
    settings.REALTIME_ABUSE_LIMIT = 5
    olena = await ws.join(session, newcomer)
    for i in range(8):
        await olena.send(send_frame(f"spam {i}"))
    assert await olena.closed_with() == 4429
    assert await sync_to_async(Message.objects.count)() == 2


async def test_garbage_flood_closes_with_4429(ws, session, newcomer, settings):
    settings.REALTIME_ABUSE_LIMIT = 3
    olena = await ws.join(session, newcomer)
    for _ in range(5):
        await olena.send("garbage")
    assert await olena.closed_with() == 4429


async def test_messages_relayed_out_of_order_are_sent_in_order(
    ws, session, newcomer, volunteer
):
    from realtime.payloads import message_payload, render

    olena = await ws.join(session, newcomer)

    @sync_to_async
    def store_two():
        return [
            render({"type": "message.new", "message": message_payload(m)})
            for m in (
                send(session, volunteer, "first"),
                send(session, volunteer, "second"),
            )
        ]

    first, second = await store_two()
    layer = get_channel_layer()
    # Two processes' broadcasts can cross on the way.
    await layer.group_send(
        room_group(session.pk), {"type": "room.message", "seq": 2, "text": second}
    )
    await layer.group_send(
        room_group(session.pk), {"type": "room.message", "seq": 1, "text": first}
    )
    assert [m["body"] for m in await olena.messages(2)] == ["first", "second"]
    assert await olena.nothing()
