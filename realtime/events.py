"""Broadcast helpers: the one way services tell live rooms about changes.

The services that change the data (realtime's own and the clubs app's) call
these through ``on_commit``, as Zulip's actions send events: a room never hears
about something that was rolled back, and every caller of a service (the
consumer, the REST API, the admin, a management command) reaches open sockets
the same way. Group names live here too: every socket in a room is in
``room_group(room_id)``; each user's sockets in a room are also in
``member_group(room_id, user_id)``, which is how one user is kicked out of a
room on every server process at once. Every socket is also in
``user_group(user_id)`` and ``session_group(session_key)`` (the log-in it was
opened with), which is how sessions end everywhere (``user_sockets_close``).
"""

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def member_group(room_id: int, user_id: int) -> str:
    return f"room.{room_id}.user.{user_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def session_group(session_key: str) -> str:
    # A digest: the session key is a credential and group names reach Redis.
    digest = hashlib.sha256(session_key.encode()).hexdigest()[:32]
    return f"session.{digest}"


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


def _room_frame(room_id: int, frame: dict) -> None:
    """A frame every socket of the room sends as is (rendered once, here)."""
    from realtime.payloads import render

    _group_send(room_group(room_id), {"type": "room.frame", "text": render(frame)})


def room_access_revoked(*, session_id: int, user_id: int) -> None:
    """The user may no longer be in the session's room: close their sockets.

    Sync (call it after commit); reaches every server process through the
    channel layer. Their sockets close with 4403.
    """
    _group_send(member_group(session_id, user_id), {"type": "room.kick"})


def _close_group_on_commit(group: str) -> None:
    # Never breaks the log-out or save that caused it (``on_commit`` logs a
    # failure); the socket's next access re-check (at most a minute) ends it.
    on_commit(partial(_group_send, group, {"type": "session.end"}))


def user_sockets_close(*, user_id: int) -> None:
    """End every open socket of the user, on every server process (4401).

    For log-in changes that end all of a person's sessions: password changed
    or reset, account deactivated or deleted. Sent when the current
    transaction commits (at once outside one), so a rolled-back change keeps
    the sockets open.
    """
    _close_group_on_commit(user_group(user_id))


def session_sockets_close(*, session_key: str) -> None:
    """End the sockets opened with one log-in session (it was logged out)."""
    _close_group_on_commit(session_group(session_key))


def message_created(*, room_id: int, seq: int, payload: dict) -> None:
    """``message.new``: sockets deliver it in seq order (RoomConsumer)."""
    from realtime.payloads import render

    text = render({"type": "message.new", "message": payload})
    _group_send(room_group(room_id), {"type": "room.message", "seq": seq, "text": text})


def message_corrected(*, room_id: int, correction: dict) -> None:
    _room_frame(room_id, {"type": "message.corrected", "correction": correction})


def message_edited(*, room_id: int, payload: dict) -> None:
    _room_frame(room_id, {"type": "message.edited", "message": payload})


def message_deleted(*, room_id: int, message_id: int, seq: int, by: int) -> None:
    _room_frame(
        room_id,
        {
            "type": "message.deleted",
            "message_id": message_id,
            "seq": seq,
            "deleted_by": by,
        },
    )


def member_muted(
    *, room_id: int, user_id: int, until: datetime | None, by: int
) -> None:
    from realtime.payloads import _iso

    _room_frame(
        room_id,
        {
            "type": "member.muted",
            "user_id": user_id,
            "until": _iso(until) if until else None,
            "by": by,
        },
    )
