"""Broadcast helpers: the one way services tell live rooms about changes.

The services that change the data (realtime's own and the clubs app's) call
these through ``on_commit``, as Zulip's actions send events: a room never hears
about something that was rolled back, and every caller of a service (the
consumer, the REST API, the admin, a management command) reaches open sockets
the same way. Group names live here too: every socket in a room is in
``room_group(room_id)``, and every socket of a user in ``user_group(user_id)``,
which is how one user is kicked out of a room (the event names the room) and
how sessions end (all of them, or the one log-in the event names by its
``session_digest``) on every server process at once. Two groups per socket,
not four: each group is a subscription per process in Redis and a round
trip in the handshake (docs/performance.md, issue 14).
"""

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

if TYPE_CHECKING:
    from realtime.models import Correction, Message

logger = logging.getLogger(__name__)


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def session_digest(session_key: str) -> str:
    # A digest: the session key is a credential and events reach Redis.
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


def on_commit(broadcast: Callable[[], None]) -> None:
    """Run ``broadcast`` once the current transaction has committed.

    By then the change is stored: a broadcast that fails (the channel layer is
    down or full, or a bug) is logged with its traceback and must not turn the
    caller's committed change into an error, nor stop the caller's other
    after-commit work (e-mails). Sockets catch up on reconnect or resume.
    """

    def run() -> None:
        try:
            broadcast()
        except Exception:
            logger.exception("Broadcast after commit failed: %r", broadcast)

    transaction.on_commit(run)


def _group_send(group: str, event: dict) -> None:
    # Errors are the caller's to handle (``on_commit`` logs them).
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


# Set while a room consumer's database hop runs (``collected``): broadcasts
# made after commit wait there for the consumer to send them on its loop.
_outbox: ContextVar[list[tuple[str, dict]] | None] = ContextVar(
    "realtime_events_outbox", default=None
)


@contextmanager
def collected(outbox: list[tuple[str, dict]]) -> Iterator[None]:
    """Inside, broadcasts are put in ``outbox`` instead of sent from here.

    The room consumer's database hops (``realtime.db``) use this and then
    ``publish`` on the event loop, so a database thread never waits for the
    loop (under load that would make the loop's delay every write's delay).
    """
    token = _outbox.set(outbox)
    try:
        yield
    finally:
        _outbox.reset(token)


async def publish(outbox: list[tuple[str, dict]]) -> None:
    """Send collected broadcasts, in order; a failure is logged, not raised."""
    layer = get_channel_layer()
    for group, event in outbox:
        try:
            await layer.group_send(group, event)
        except Exception:
            logger.exception("Broadcast to %s failed", group)


def _send(group: str, event: dict) -> None:
    outbox = _outbox.get()
    if outbox is not None:
        outbox.append((group, event))
    else:
        _group_send(group, event)


def send_on_commit(group: str, event: dict | Callable[[], dict]) -> None:
    """Send ``event`` to ``group`` once the current transaction has committed.

    ``event`` may be a function that builds it: payloads are then rendered
    after commit, so the transaction (and SQLite's write lock) stays short.
    """
    if callable(event):
        on_commit(lambda: _send(group, event()))
    else:
        on_commit(partial(_send, group, event))


def _room_frame(room_id: int, build: Callable[[], dict]) -> None:
    """After commit, a frame every socket of the room sends as is (rendered
    once, here)."""
    from realtime.payloads import render

    send_on_commit(
        room_group(room_id), lambda: {"type": "room.frame", "text": render(build())}
    )


def room_access_revoked(*, session_id: int, user_id: int) -> None:
    """The user may no longer be in the session's room: close their sockets.

    Sync (call it after commit); reaches every server process through the
    channel layer. Their sockets close with 4403.
    """
    _send(user_group(user_id), {"type": "room.kick", "room_id": session_id})


def _close_on_commit(user_id: int, session_key: str | None = None) -> None:
    # Never breaks the log-out or save that caused it (``on_commit`` logs a
    # failure); the socket's next access re-check (at most a minute) ends it.
    event = {"type": "session.end"}
    if session_key is not None:
        event["session"] = session_digest(session_key)
    send_on_commit(user_group(user_id), event)


def user_sockets_close(*, user_id: int) -> None:
    """End every open socket of the user, on every server process (4401).

    For log-in changes that end all of a person's sessions: password changed
    or reset, account deactivated or deleted. Sent when the current
    transaction commits (at once outside one), so a rolled-back change keeps
    the sockets open.
    """
    _close_on_commit(user_id)


def session_sockets_close(*, user_id: int, session_key: str) -> None:
    """End the sockets opened with one log-in session (it was logged out)."""
    _close_on_commit(user_id, session_key)


# The room events below are sent after the current transaction commits; their
# payloads are built then too.


def message_created(*, message: "Message") -> None:
    """``message.new``: sockets deliver it in seq order (RoomConsumer)."""
    from realtime.payloads import message_payload, render

    def build() -> dict:
        payload = message_payload(message, corrections=[])
        text = render({"type": "message.new", "message": payload})
        return {"type": "room.message", "seq": message.seq, "text": text}

    send_on_commit(room_group(message.room_id), build)


def message_corrected(*, correction: "Correction", message: "Message") -> None:
    from realtime.payloads import correction_payload

    _room_frame(
        message.room_id,
        lambda: {
            "type": "message.corrected",
            "correction": {
                **correction_payload(correction, message),
                "original": message.body,
            },
        },
    )


def message_edited(*, message: "Message") -> None:
    from realtime.payloads import message_payload

    _room_frame(
        message.room_id,
        lambda: {"type": "message.edited", "message": message_payload(message)},
    )


def message_deleted(*, message: "Message", by: int) -> None:
    _room_frame(
        message.room_id,
        lambda: {
            "type": "message.deleted",
            "message_id": message.pk,
            "seq": message.seq,
            "deleted_by": by,
        },
    )


def member_muted(
    *, room_id: int, user_id: int, until: datetime | None, by: int
) -> None:
    from realtime.payloads import _iso

    _room_frame(
        room_id,
        lambda: {
            "type": "member.muted",
            "user_id": user_id,
            "until": _iso(until) if until else None,
            "by": by,
        },
    )
