"""``?replay=batch``: replays come as ``message.replay`` frames of many
messages, the same payloads in the same order as ``message.new`` frames."""

import json
import uuid

import pytest
from asgiref.sync import sync_to_async

from realtime import services
from realtime.models import Message, Room
from realtime.payloads import (
    REPLAY_BATCH_BYTES,
    REPLAY_BATCH_MESSAGES,
    render,
    replay_frames,
)
from tests.realtime.conftest import send_unheard
from tests.realtime.test_ws_resume import say

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def fill(session, author, count: int, body: str = "Labdien!") -> None:
    room, _ = Room.objects.get_or_create(session=session)
    first = room.last_seq + 1
    Message.objects.bulk_create(
        Message(
            room=room,
            seq=seq,
            author=author,
            client_msg_id=uuid.uuid4(),
            body=f"{body} {seq}",
        )
        for seq in range(first, first + count)
    )
    Room.objects.filter(pk=room.pk).update(last_seq=first + count - 1)


async def replayed(client, count: int) -> list[list[dict]]:
    """The ``messages`` of the message.replay frames holding ``count``."""
    batches, got = [], 0
    while got < count:
        frame = await client.recv("message.replay")
        batches.append(frame["messages"])
        got += len(frame["messages"])
    return batches


async def test_a_batched_resume_sends_the_same_messages_as_single_frames(
    ws, session, newcomer, volunteer
):
    await fill(session, volunteer, 5)
    await sync_to_async(services.message_correct)(
        room_id=session.pk,
        message_id=(await Message.objects.aget(room_id=session.pk, seq=3)).pk,
        user=volunteer,
        body="Labdien, Olena!",
    )
    single = await ws.join(session, newcomer, query="after_seq=1")
    one_by_one = await single.messages(4)
    await single.communicator.disconnect()

    batched = await ws.join(session, newcomer, query="after_seq=1&replay=batch")

    assert await replayed(batched, 4) == [one_by_one]
    assert [m["seq"] for m in one_by_one] == [2, 3, 4, 5]
    assert one_by_one[1]["corrections"][0]["body"] == "Labdien, Olena!"
    # Then live messages as message.new, with no duplicate and no gap.
    janis = await ws.join(session, volunteer)
    await say(janis, "Kā iet?")
    assert [m["seq"] for m in await batched.messages(1)] == [6]
    assert await batched.nothing()


async def test_a_long_replay_comes_in_batches_of_at_most_100(
    ws, session, newcomer, volunteer
):
    await fill(session, volunteer, 250)
    olena = await ws.join(session, newcomer, query="after_seq=0&replay=batch")

    batches = await replayed(olena, 250)

    assert [len(b) for b in batches] == [100, 100, 50]
    assert [m["seq"] for b in batches for m in b] == list(range(1, 251))


async def test_the_resume_frame_is_batched_too(ws, session, newcomer, volunteer):
    await fill(session, volunteer, 3)
    olena = await ws.join(session, newcomer, query="replay=batch")
    await olena.send({"type": "resume", "after_seq": 0})
    assert [[m["seq"] for m in b] for b in await replayed(olena, 3)] == [[1, 2, 3]]


async def test_a_gap_fill_is_batched_too(ws, session, newcomer, volunteer):
    olena = await ws.join(session, newcomer, query="replay=batch")
    # Stored, but their broadcasts were dropped (the layer is at-most-once).
    for body in ("lost one", "lost two"):
        await sync_to_async(send_unheard)(session, volunteer, body)
    janis = await ws.join(session, volunteer)

    await say(janis, "arrives")

    (fill_batch,) = await replayed(olena, 2)
    assert [(m["seq"], m["body"]) for m in fill_batch] == [
        (1, "lost one"),
        (2, "lost two"),
    ]
    assert [m["seq"] for m in await olena.messages(1)] == [3]


async def test_without_replay_batch_nothing_changes(ws, session, newcomer, volunteer):
    await fill(session, volunteer, 2)
    olena = await ws.join(session, newcomer, query="after_seq=0")
    assert [m["seq"] for m in await olena.messages(2)] == [1, 2]


async def test_a_wrong_replay_value_is_an_error_and_replays_one_by_one(
    ws, session, newcomer, volunteer
):
    await fill(session, volunteer, 2)
    olena = await ws.join(session, newcomer, query="after_seq=0&replay=all")
    error = await olena.recv("error")
    assert (error["code"], list(error["fields"])) == ("invalid", ["replay"])
    assert [m["seq"] for m in await olena.messages(2)] == [1, 2]


async def test_url_errors_are_in_the_users_language(ws, session, newcomer):
    newcomer.interface_language = "lv"
    await sync_to_async(newcomer.save)(update_fields=["interface_language"])
    olena = await ws.join(session, newcomer, query="after_seq=x&replay=all")
    error = await olena.recv("error")
    assert error["fields"] == {
        "replay": ["Vienīgā atļautā vērtība ir batch."],
        "after_seq": ["Jānorāda vesels skaitlis."],
    }


def _payload(seq: int, body: str, corrections: int = 0) -> dict:
    return {
        "id": seq,
        "room_id": 1,
        "seq": seq,
        "author_id": 1,
        "author_name": "Jānis",
        "client_msg_id": str(uuid.uuid4()),
        "body": body,
        "reply_to": None,
        "created_at": "2026-12-01T18:00:00.000Z",
        "deleted": False,
        "corrections": [
            {
                "id": n,
                "message_id": seq,
                "seq": seq,
                "author_id": 2,
                "author_name": "Olena",
                "body": body,
                "diff": [{"op": "equal", "text": body}],
                "created_at": "2026-12-01T18:00:00.000Z",
            }
            for n in range(corrections)
        ],
    }


def _rendered(payload: dict) -> tuple[int, str]:
    return payload["seq"], render(payload)


@pytest.mark.parametrize(
    "body", ["Labdien!", "ā" * 2000, "\x01" * 2000, "😀" * 2000, '"\\' * 1000]
)
def test_every_batch_frame_stays_within_64_kib(body):
    payloads = [_payload(seq, body, corrections=seq % 3) for seq in range(1, 301)]

    frames = replay_frames([_rendered(p) for p in payloads])

    batches = [json.loads(text)["messages"] for _, text in frames]
    assert [m for b in batches for m in b] == payloads
    assert [last for last, _ in frames] == [b[-1]["seq"] for b in batches]
    for (_, text), batch in zip(frames, batches, strict=True):
        assert json.loads(text)["type"] == "message.replay"
        assert len(batch) <= REPLAY_BATCH_MESSAGES
        assert len(text.encode()) <= REPLAY_BATCH_BYTES
    # Full: a frame ends at 100 messages or where the next would not fit.
    for (_, text), following in zip(frames, batches[1:], strict=False):
        next_size = len(render(following[0]).encode()) + 1
        assert (
            len(json.loads(text)["messages"]) == REPLAY_BATCH_MESSAGES
            or len(text.encode()) + next_size > REPLAY_BATCH_BYTES
        )
    if body == "Labdien!":
        assert [len(b) for b in batches] == [100, 100, 100]


def test_a_message_larger_than_a_batch_goes_alone():
    huge = _payload(2, "\x01" * 12000, corrections=8)
    assert len(render(huge).encode()) > REPLAY_BATCH_BYTES
    frames = replay_frames(
        [_rendered(p) for p in (_payload(1, "a"), huge)] + [_rendered(_payload(3, "b"))]
    )
    assert [[m["seq"] for m in json.loads(t)["messages"]] for _, t in frames] == [
        [1],
        [2],
        [3],
    ]
