"""Broadcast helpers: the one way domain apps tell live rooms about changes.

Domain services call these inside ``transaction.on_commit`` so a room never
hears about something that was rolled back. Group names live here too: every
socket in a room is in ``room_group(room_id)``; each user's sockets in a room
are also in ``member_group(room_id, user_id)``, which is how one user is kicked
out of a room on every server process at once. Every socket is also in
``user_group(user_id)`` and ``session_group(session_key)`` (the log-in it was
opened with), which is how sessions end everywhere (``user_sockets_close``).
"""

import hashlib
import logging

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


def room_access_revoked(*, session_id: int, user_id: int) -> None:
    """The user may no longer be in the session's room: close their sockets.

    Sync (call it from ``transaction.on_commit``); reaches every server process
    through the channel layer. Their sockets close with 4403.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            member_group(session_id, user_id), {"type": "room.kick"}
        )
    except Exception:
        # A kick must never break the domain action that caused it (it runs
        # after commit); the socket still loses access on its next reconnect.
        logger.exception("Could not kick user %s from room %s", user_id, session_id)


def _close_group_on_commit(group: str, what: str) -> None:
    def close() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(group, {"type": "session.end"})
        except Exception:
            # Never breaks the log-out or save that caused it; the socket's
            # next access re-check (at most a minute) ends it instead.
            logger.exception("Could not close the sockets of %s", what)

    transaction.on_commit(close)


def user_sockets_close(*, user_id: int) -> None:
    """End every open socket of the user, on every server process (4401).

    For log-in changes that end all of a person's sessions: password changed
    or reset, account deactivated or deleted. Sent when the current
    transaction commits (at once outside one), so a rolled-back change keeps
    the sockets open.
    """
    _close_group_on_commit(user_group(user_id), f"user {user_id}")


def session_sockets_close(*, session_key: str) -> None:
    """End the sockets opened with one log-in session (it was logged out)."""
    _close_group_on_commit(session_group(session_key), "a logged-out session")
