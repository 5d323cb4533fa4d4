"""The room's ``presence`` frame: at most one per room and process every
``coalesce_seconds``.

Each arrival or departure of a user used to send the whole online list to
every socket of the room at once: one frame per socket per change, so a room
of n users filling or reconnecting together got about n² frames (a reconnect
storm of 100 members: 10,000 frames per room; issue 14). Now a change
schedules one frame for the room, sent a moment later with the list as it is
then; changes meanwhile ride along. The moment grows with the room (10 ms per
user online, from 0.2 to 2 s): each frame goes to every socket and grows with
the list, so a room of 100 reconnecting at once is told once a second, not
five times. The protocol's promise is unchanged: after someone arrives or
leaves, everyone gets the full list. The arriving socket also has it in its
``hello``.
"""

import asyncio
import logging
import weakref

from channels.layers import get_channel_layer

from realtime.events import room_group
from realtime.payloads import render
from realtime.presence import presence_store

logger = logging.getLogger(__name__)

COALESCE_SECONDS = 0.2  # at least
PER_USER_SECONDS = 0.01
MAX_COALESCE_SECONDS = 2.0

# Per event loop (one per process; tests run several): the rooms with a frame
# scheduled, and the sends under way (kept so they are not collected).
_scheduled: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, set[int]]" = (
    weakref.WeakKeyDictionary()
)
_sending: set[asyncio.Task] = set()


def coalesce_seconds(online: int) -> float:
    """How long a change waits for others to share its frame, for a room
    with ``online`` users."""
    return max(COALESCE_SECONDS, min(MAX_COALESCE_SECONDS, online * PER_USER_SECONDS))


def presence_changed(room_id: int, *, online: int) -> None:
    """The room's set of online users changed (``online`` of them now): tell
    the room soon."""
    loop = asyncio.get_running_loop()
    scheduled = _scheduled.setdefault(loop, set())
    if room_id in scheduled:
        return
    scheduled.add(room_id)
    loop.call_later(coalesce_seconds(online), _start_send, loop, room_id)


def _start_send(loop: asyncio.AbstractEventLoop, room_id: int) -> None:
    # Unscheduled before the list is read, so a change from now on is in this
    # frame's list or schedules the next frame.
    _scheduled[loop].discard(room_id)
    task = loop.create_task(_send(room_id))
    _sending.add(task)
    task.add_done_callback(_sending.discard)


async def _send(room_id: int) -> None:
    try:
        online = await presence_store().online(room_id)
        text = render({"type": "presence", "online": online})
        await get_channel_layer().group_send(
            room_group(room_id), {"type": "room.frame", "text": text}
        )
    except Exception:  # the next change sends the list again
        logger.exception("The presence of room %s could not be sent", room_id)
