"""What a socket's handshake and resume cost the database (issue 14), and the
replay's payloads being exactly those of every other path."""

import json
import threading
import uuid
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.db.backends import utils
from django.utils import timezone, translation

from realtime import selectors, services
from realtime.models import Correction, Message
from realtime.payloads import message_payload
from tests.conftest import session_token_for
from tests.factories import UserFactory
from tests.realtime.conftest import register, send

pytestmark = pytest.mark.django_db(transaction=True)


class QueryCounter:
    """Counts the statements of every thread (the consumer's database lanes
    are threads of their own, with their own connections)."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        self._lock = threading.Lock()
        original = utils.CursorWrapper.execute

        def execute(cursor, sql, params=None):
            with self._lock:
                self.count += 1
            return original(cursor, sql, params)

        monkeypatch.setattr(utils.CursorWrapper, "execute", execute)

    def take(self) -> int:
        count, self.count = self.count, 0
        return count


async def test_handshake_queries_do_not_grow_with_missed_messages(
    ws, session, newcomer, volunteer, monkeypatch
):
    for n in range(3):
        await sync_to_async(send)(session, volunteer, f"m{n}")
    token = await sync_to_async(session_token_for)(newcomer)
    header = {"headers": [(b"x-session-token", token.encode())]}
    first = await ws.join(session, None, **header)  # creates nothing more later
    await first.communicator.disconnect()
    counter = QueryCounter(monkeypatch)

    plain = await ws.join(session, None, **header)
    plain_queries = counter.take()
    await plain.communicator.disconnect()
    few = await ws.join(session, None, query="after_seq=1", **header)
    assert [m["seq"] for m in await few.messages(2)] == [2, 3]
    few_queries = counter.take()
    await few.communicator.disconnect()

    def many_missed():
        for n in range(40):
            message = send(session, volunteer, f"more {n}")
            if n % 3 == 0:
                services.message_correct(
                    room_id=session.pk,
                    message_id=message.pk,
                    user=newcomer,
                    body=f"More {n}.",
                )
        counter.take()

    await sync_to_async(many_missed)()
    many = await ws.join(session, None, query="after_seq=1", **header)
    assert [m["seq"] for m in await many.messages(42)] == list(range(2, 44))
    many_queries = counter.take()

    # Authentication (allauth's token lookup: the session, exists + load
    # unless a one-read token strategy is set, none when Redis caches it; the
    # user), then the room: one query for access, counter and mute; a resume
    # adds one, its messages with their corrections, however many.
    assert plain_queries <= 4
    assert few_queries == plain_queries + 1
    assert many_queries == few_queries


def _replayed(**kwargs) -> list[dict]:
    rendered = selectors.message_replay(**kwargs)
    assert [seq for seq, _ in rendered] == [json.loads(t)["seq"] for _, t in rendered]
    return [json.loads(text) for _, text in rendered]


def _expected(session) -> list[dict]:
    return [
        message_payload(m)
        for m in Message.objects.filter(room_id=session.pk)
        .select_related("author")
        .order_by("seq")
    ]


@pytest.mark.parametrize("language", ["en", "lv"])
def test_replay_payloads_are_message_payloads(session, newcomer, volunteer, language):
    """The database renders a replay's JSON itself (realtime.rendered): every
    kind of message, author and correction comes out as message_payload has it."""
    gone = UserFactory(display_name="Gone")
    register(session, gone)
    unnamed = UserFactory(display_name="")
    register(session, unnamed)
    first = send(session, newcomer, "Es gribu runāt par tirgus.")
    services.message_correct(
        room_id=session.pk,
        message_id=first.pk,
        user=volunteer,
        body="Es gribu runāt par tirgu.",
    )
    services.message_correct(
        room_id=session.pk, message_id=first.pk, user=gone, body="Par tirgu."
    )
    send(session, gone, "Sveiki", reply_to_id=first.pk)
    send(session, unnamed, "Čau")
    deleted = send(session, volunteer, "secret")
    services.message_correct(
        room_id=session.pk, message_id=deleted.pk, user=volunteer, body="sekrets"
    )
    services.message_delete(
        room_id=session.pk, message_id=deleted.pk, user=volunteer, role="host"
    )
    orphan = send(session, newcomer, "orphan")
    Message.objects.filter(pk=orphan.pk).update(author=None)
    gone.deleted_at = timezone.now()
    gone.save(update_fields=["deleted_at"])
    # Texts JSON must escape, and a time with no microseconds (isoformat leaves
    # the fraction out).
    tricky = send(session, newcomer, 'Saka: "labi" \\ \x01\t😀\nрусский ā')
    Message.objects.filter(pk=tricky.pk).update(
        created_at=timezone.now().replace(microsecond=0)
    )
    # Corrections in time order, whatever their ids.
    late, early = (
        services.message_correct(
            room_id=session.pk, message_id=tricky.pk, user=volunteer, body=body
        )[0]
        for body in ("Saka: labi.", "Saka: “labi”.")
    )
    Correction.objects.filter(pk=late.pk).update(
        created_at=timezone.now() + timedelta(minutes=1)
    )

    with translation.override(language):
        replayed = _replayed(room_id=session.pk, after_seq=0)
        expected = _expected(session)
        assert replayed == expected
        assert _replayed(room_id=session.pk, after_seq=2) == expected[2:]
        assert _replayed(room_id=session.pk, after_seq=0, upto_seq=1) == expected[:1]
    assert [c["author_name"] for c in replayed[0]["corrections"]] == [
        volunteer.public_name,
        "Deleted user" if language == "en" else "Dzēsts lietotājs",
    ]
    member = "Member" if language == "en" else "Dalībnieks"
    assert replayed[2]["author_name"] == f"{member} {unnamed.pk}"
    assert (
        replayed[3]["deleted"],
        replayed[3]["body"],
        replayed[3]["corrections"],
    ) == (
        True,
        "",
        [],
    )
    assert replayed[4]["author_id"] is None
    assert replayed[5]["body"] == 'Saka: "labi" \\ \x01\t😀\nрусский ā'
    assert "." not in replayed[5]["created_at"]
    assert [c["id"] for c in replayed[5]["corrections"]] == [early.pk, late.pk]


def test_replay_of_more_than_the_limit_asks_for_a_resync(session, volunteer):
    from realtime.models import Room

    Room.objects.get_or_create(session=session)
    Message.objects.bulk_create(
        Message(
            room_id=session.pk,
            seq=n,
            author=volunteer,
            client_msg_id=uuid.uuid4(),
            body="x",
        )
        for n in range(1, selectors.REPLAY_LIMIT + 2)
    )
    assert selectors.message_replay(room_id=session.pk, after_seq=0) is None
    assert len(selectors.message_replay(room_id=session.pk, after_seq=1)) == 500
