"""Every client frame and the server frames it produces."""

import asyncio
import uuid

import pytest
from asgiref.sync import sync_to_async

from realtime.models import Message, MessageReport, Mute, ReadMarker

pytestmark = pytest.mark.django_db(transaction=True)


def send_frame(body="Labdien!", client_msg_id=None, **extra):
    return {
        "type": "message.send",
        "body": body,
        "client_msg_id": client_msg_id or str(uuid.uuid4()),
        **extra,
    }


@sync_to_async
def count(model, **filters) -> int:
    return model.objects.filter(**filters).count()


async def test_message_is_stored_then_sent_to_everyone(
    ws, session, newcomer, volunteer
):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)
    frame = send_frame("Sveiki visiem!")

    await olena.send(frame)

    ack = (await olena.recv("message.new"))["message"]
    assert ack["seq"] == 1
    assert ack["client_msg_id"] == frame["client_msg_id"]
    assert ack["author_id"] == newcomer.pk
    assert ack["author_name"] == "Olena"
    assert ack["body"] == "Sveiki visiem!"
    assert ack["created_at"].endswith("Z")
    assert (await janis.recv("message.new"))["message"] == ack
    assert await count(Message, seq=1, body="Sveiki visiem!") == 1
    assert await olena.nothing()  # the relayed copy of its own message is skipped


async def test_retry_with_same_client_msg_id_answers_with_the_original(
    ws, session, newcomer, volunteer
):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)
    frame = send_frame("once")
    await olena.send(frame)
    original = (await olena.recv("message.new"))["message"]
    await janis.recv("message.new")

    await olena.send({**frame, "body": "once, again"})

    assert (await olena.recv("message.new"))["message"] == original
    assert await count(Message) == 1
    assert await janis.nothing()


async def test_retry_after_reconnect_answers_with_the_original(ws, session, newcomer):
    frame = send_frame("from the tram")
    first = await ws.join(session, newcomer)
    await first.send(frame)
    original = (await first.recv("message.new"))["message"]
    await first.communicator.disconnect()

    second = await ws.join(session, newcomer)
    await second.send(frame)
    assert (await second.recv("message.new"))["message"] == original
    assert await count(Message) == 1


async def test_reply_to(ws, session, newcomer):
    olena = await ws.join(session, newcomer)
    await olena.send(send_frame("first"))
    first = (await olena.recv("message.new"))["message"]
    await olena.send(send_frame("second", reply_to=first["id"]))
    assert (await olena.recv("message.new"))["message"]["reply_to"] == first["id"]
    await olena.send(send_frame("third", reply_to=999999))
    error = await olena.recv("error")
    assert (error["code"], list(error["fields"])) == ("invalid", ["reply_to"])


async def test_correction_reaches_everyone_with_word_diff(
    ws, session, newcomer, volunteer
):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)
    await olena.send(send_frame("Es iet uz veikals"))
    message = (await olena.recv("message.new"))["message"]
    await janis.recv("message.new")

    await janis.send(
        {
            "type": "message.correct",
            "message_id": message["id"],
            "body": "Es eju uz veikalu",
        }
    )

    for client in (janis, olena):
        correction = (await client.recv("message.corrected"))["correction"]
        assert correction["message_id"] == message["id"]
        assert correction["seq"] == 1
        assert correction["original"] == "Es iet uz veikals"
        assert correction["body"] == "Es eju uz veikalu"
        assert correction["author_name"] == "Jānis"
        assert correction["diff"] == [
            {"op": "equal", "text": "Es "},
            {"op": "delete", "text": "iet"},
            {"op": "insert", "text": "eju"},
            {"op": "equal", "text": " uz "},
            {"op": "delete", "text": "veikals"},
            {"op": "insert", "text": "veikalu"},
        ]


async def test_delete_own_message_leaves_a_tombstone(ws, session, newcomer, volunteer):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)
    await olena.send(send_frame("oops"))
    message = (await olena.recv("message.new"))["message"]
    await janis.recv("message.new")

    await olena.send({"type": "message.delete", "message_id": message["id"]})

    expected = {
        "type": "message.deleted",
        "message_id": message["id"],
        "seq": 1,
        "deleted_by": newcomer.pk,
    }
    assert await olena.recv("message.deleted") == expected
    assert await janis.recv("message.deleted") == expected
    assert await count(Message, deleted_at__isnull=False) == 1


async def test_members_may_not_delete_others_messages_but_hosts_may(
    ws, session, newcomer, volunteer
):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)
    await janis.send(send_frame("host's"))
    hosts = (await janis.recv("message.new"))["message"]
    await olena.recv("message.new")
    await olena.send(send_frame("member's"))
    members = (await olena.recv("message.new"))["message"]

    await olena.send({"type": "message.delete", "message_id": hosts["id"]})
    assert (await olena.recv("error"))["code"] == "permission_denied"

    await janis.send({"type": "message.delete", "message_id": members["id"]})
    assert (await olena.recv("message.deleted"))["message_id"] == members["id"]


async def test_typing_goes_to_others_only(ws, session, newcomer, volunteer):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)
    await olena.send({"type": "typing"})
    frame = await janis.recv("typing")
    assert frame == {"type": "typing", "user_id": newcomer.pk, "display_name": "Olena"}
    await olena.send({"type": "ping"})
    assert await olena.recv("typing", "pong") == {"type": "pong"}


async def test_presence_counts_users_not_connections(ws, session, newcomer, volunteer):
    janis = await ws.join(session, volunteer)
    phone = await ws.join(session, newcomer)
    await janis.presence_becomes([volunteer.pk, newcomer.pk])
    laptop = await ws.join(session, newcomer)
    # Sorted by name: Jānis, Olena.
    assert [u["user_id"] for u in laptop.hello["online"]] == [volunteer.pk, newcomer.pk]

    await phone.communicator.disconnect()
    await janis.send({"type": "ping"})
    # Olena is still online on her laptop: nobody is told she left.
    assert await janis.recv() == {"type": "pong"}
    assert await janis.nothing()

    await laptop.communicator.disconnect()
    online = await janis.presence_becomes([volunteer.pk])
    assert online == [{"user_id": volunteer.pk, "display_name": "Jānis"}]


async def test_host_mutes_a_member(ws, session, newcomer, volunteer):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)

    await janis.send({"type": "member.mute", "user_id": newcomer.pk, "minutes": 10})

    muted = await olena.recv("member.muted")
    assert (muted["user_id"], muted["by"]) == (newcomer.pk, volunteer.pk)
    assert (await janis.recv("member.muted"))["until"] == muted["until"]
    await olena.send(send_frame("let me speak", client_msg_id=str(uuid.uuid4())))
    error = await olena.recv("error")
    assert error["code"] == "muted"
    assert 0 < error["retry_after"] <= 600
    assert "client_msg_id" in error
    assert await count(Message) == 0

    again = await ws.join(session, newcomer)
    assert again.hello["muted_until"] is not None

    await janis.send({"type": "member.mute", "user_id": newcomer.pk, "minutes": 0})
    assert (await olena.recv("member.muted"))["until"] is None
    await olena.send(send_frame("thanks"))
    assert (await olena.recv("message.new"))["message"]["body"] == "thanks"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"minutes": 5}, "permission_denied"),  # a member muting the host
    ],
)
async def test_members_may_not_mute(ws, session, newcomer, volunteer, frame, code):
    olena = await ws.join(session, newcomer)
    await olena.send({"type": "member.mute", "user_id": volunteer.pk, **frame})
    assert (await olena.recv("error"))["code"] == code
    assert await count(Mute) == 0


async def test_host_cannot_mute_a_stranger(ws, session, volunteer, stranger):
    janis = await ws.join(session, volunteer)
    await janis.send({"type": "member.mute", "user_id": stranger.pk, "minutes": 5})
    assert (await janis.recv("error"))["code"] == "not_found"


async def test_report_goes_to_the_staff_queue(ws, session, newcomer, volunteer):
    olena = await ws.join(session, newcomer)
    janis = await ws.join(session, volunteer)
    await janis.send(send_frame("something rude"))
    await janis.recv("message.new")
    message = (await olena.recv("message.new"))["message"]

    await olena.send(
        {"type": "message.report", "message_id": message["id"], "reason": "Rude"}
    )

    assert await olena.recv("message.reported") == {
        "type": "message.reported",
        "message_id": message["id"],
    }
    assert await count(MessageReport, reason="Rude", reporter=newcomer) == 1
    assert await janis.nothing()


async def test_read_marker_is_saved_by_read_frames(ws, session, newcomer, volunteer):
    janis = await ws.join(session, volunteer)
    for i in range(3):
        await janis.send(send_frame(f"m{i}"))
        await janis.recv("message.new")
    olena = await ws.join(session, newcomer)
    await olena.send({"type": "read", "seq": 2})
    await olena.send({"type": "ping"})
    await olena.recv("pong")
    marker = await sync_to_async(ReadMarker.objects.get)(user=newcomer)
    assert marker.last_read_seq == 2


@pytest.mark.parametrize(
    ("frame", "code", "field"),
    [
        ("not json", "invalid_json", None),
        ("{", "invalid_json", None),
        ("[1, 2]", "invalid_frame", None),
        ('"message.send"', "invalid_frame", None),
        ({"body": "no type"}, "invalid_frame", None),
        ({"type": 5}, "invalid_frame", None),
        ({"type": "message.explode"}, "unknown_type", None),
        (
            {"type": "message.send", "client_msg_id": str(uuid.uuid4())},
            "invalid",
            "body",
        ),
        (send_frame(body=""), "invalid", "body"),
        (send_frame(body=" \n "), "invalid", "body"),
        (send_frame(body=["list"]), "invalid", "body"),
        (send_frame(body="x" * 2001), "body_too_long", "body"),
        (send_frame(client_msg_id="not-a-uuid"), "invalid", "client_msg_id"),
        ({"type": "message.send", "body": "hi"}, "invalid", "client_msg_id"),
        (send_frame(reply_to="1"), "invalid", "reply_to"),
        (send_frame(reply_to=True), "invalid", "reply_to"),
        (send_frame(reply_to=2**70), "invalid", "reply_to"),
        ({"type": "message.correct", "body": "x"}, "invalid", "message_id"),
        ({"type": "message.correct", "message_id": 1}, "invalid", "body"),
        ({"type": "message.correct", "message_id": 99, "body": "x"}, "not_found", None),
        ({"type": "message.delete", "message_id": -1}, "invalid", "message_id"),
        ({"type": "message.delete", "message_id": 99}, "not_found", None),
        ({"type": "message.report", "message_id": 1}, "invalid", "reason"),
        (
            {"type": "message.report", "message_id": 1, "reason": "x" * 501},
            "invalid",
            "reason",
        ),
        ({"type": "message.report", "message_id": 9, "reason": "x"}, "not_found", None),
        ({"type": "member.mute", "user_id": 1}, "invalid", "minutes"),
        ({"type": "member.mute", "minutes": 5}, "invalid", "user_id"),
        ({"type": "resume"}, "invalid", "after_seq"),
        ({"type": "resume", "after_seq": -5}, "invalid", "after_seq"),
        ({"type": "resume", "after_seq": 1.5}, "invalid", "after_seq"),
        ({"type": "read", "seq": "x"}, "invalid", "seq"),
        ("x" * (64 * 1024 + 1), "frame_too_large", None),
        ('{"type": "typing", "pad": "' + "é" * 33000 + '"}', "frame_too_large", None),
        (b"\x00\x01", "binary_not_supported", None),
        ("[" * 100000, "frame_too_large", None),
        ("[" * 60000, "invalid_json", None),
        (send_frame(body="nul \x00 inside"), "invalid", "body"),
        ('{"type": "message.send", "body": "\\ud800"}', "invalid_json", None),
        ('{"type": "\\udfff"}', "invalid_json", None),
        (
            {"type": "message.report", "message_id": 1, "reason": "\x00"},
            "invalid",
            "reason",
        ),
    ],
)
async def test_bad_frames_get_an_error_and_the_connection_lives(
    ws, session, newcomer, frame, code, field
):
    olena = await ws.join(session, newcomer)
    await olena.send(frame)
    error = await olena.recv("error")
    assert error["code"] == code
    assert error["message"]
    if field:
        assert list(error["fields"]) == [field]
    if isinstance(frame, dict) and "client_msg_id" in frame:
        assert error["client_msg_id"] == frame["client_msg_id"]
    await olena.send({"type": "ping"})
    assert await olena.recv() == {"type": "pong"}
    assert await count(Message) == 0


async def test_escaped_emoji_is_text(ws, session, newcomer):
    olena = await ws.join(session, newcomer)
    await olena.send(send_frame("Labdien 😀"))  # sent as "\\ud83d\\ude00"
    assert (await olena.recv("message.new"))["message"]["body"] == "Labdien 😀"


async def test_errors_speak_the_users_language(ws, session, newcomer):
    await sync_to_async(type(newcomer).objects.filter(pk=newcomer.pk).update)(
        interface_language="lv"
    )
    olena = await ws.join(session, newcomer)
    await olena.send(send_frame(body=""))
    assert (await olena.recv("error"))["message"] == "Daži ievadītie dati nav derīgi."


async def test_bigger_rooms_wait_longer_for_their_presence_frame(monkeypatch):
    from realtime.presence_frames import presence_changed

    # Each frame goes to every socket: 10 ms per user online, 0.2 s to 2 s.
    delays = []
    loop = asyncio.get_running_loop()
    monkeypatch.setattr(loop, "call_later", lambda delay, *args: delays.append(delay))
    presence_changed(901, online=5)
    presence_changed(902, online=100)
    presence_changed(903, online=1000)
    presence_changed(902, online=101)  # already scheduled: rides along
    assert delays == [0.2, 1.0, 2.0]


async def test_arrivals_close_together_are_told_in_one_presence_frame(
    ws, session, newcomer, volunteer, stranger, monkeypatch
):
    from realtime import presence_frames
    from tests.realtime.conftest import register

    # Longer than two handshakes take on a loaded machine.
    monkeypatch.setattr(presence_frames, "COALESCE_SECONDS", 1.0)
    await sync_to_async(register)(session, stranger)
    janis = await ws.join(session, volunteer)
    await janis.presence_becomes([volunteer.pk])
    await ws.join(session, newcomer)
    await ws.join(session, stranger)
    # One frame with both, not one per arrival.
    online = (await janis.recv("presence"))["online"]
    assert sorted(u["user_id"] for u in online) == sorted(
        [volunteer.pk, newcomer.pk, stranger.pk]
    )
    await janis.send({"type": "ping"})
    assert await janis.recv("presence", "pong") == {"type": "pong"}
