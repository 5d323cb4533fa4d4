"""Broadcast helpers: the one way domain apps tell live rooms about changes.

Domain services call these inside ``transaction.on_commit`` so a room never
hears about something that was rolled back. Group names live here too: every
socket in a room is in ``room_group(room_id)``; each user's sockets in a room
are also in ``member_group(room_id, user_id)``, which is how one user is kicked
out of a room on every server process at once.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def member_group(room_id: int, user_id: int) -> str:
    return f"room.{room_id}.user.{user_id}"


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
