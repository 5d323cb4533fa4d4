"""The consumer's trips to the database: one thread-pool hop per frame.

Each function runs services/selectors and builds the outgoing payloads while
still on the worker thread (payloads may touch related rows), so the event loop
only renders and sends.
"""

from dataclasses import dataclass

from backend.api.errors import ApiError
from realtime import access, selectors, services
from realtime.db import db_hop
from realtime.models import Room
from realtime.payloads import message_payload
from realtime.rendered import Rendered


@dataclass
class ConnectContext:
    join: access.RoomJoin
    replay: list[Rendered] | None  # None: more than the replay limit are missing


@db_hop
def connect_context(*, room_id: int, user, after_seq: int | None) -> ConnectContext:
    join = access.room_join(room_id=room_id, user=user)
    replay = None
    if after_seq is not None:
        replay = selectors.message_replay(room_id=room_id, after_seq=after_seq)
    return ConnectContext(join, replay)


@db_hop
def current_role(*, room_id: int, user) -> str | None:
    """The user's role in the room now, or None if they lost access."""
    try:
        return access.room_access(room_id=room_id, user=user)[1]
    except ApiError:
        return None


@db_hop
def send_message(*, room_id: int, user, body, client_msg_id, reply_to_id):
    """Store (or find) the message: ``(payload, created)``."""
    message, created = services.message_send(
        room_id=room_id,
        user=user,
        body=body,
        client_msg_id=client_msg_id,
        reply_to_id=reply_to_id,
    )
    if not created:
        return message_payload(message), False
    return message_payload(message, corrections=[]), True


@db_hop
def replay(*, room_id: int, after_seq: int, upto_seq: int | None = None):
    """``(rendered messages or None, last_seq)`` of those after ``after_seq``."""
    last_seq = (
        Room.objects.filter(pk=room_id).values_list("last_seq", flat=True).first()
    )
    messages = selectors.message_replay(
        room_id=room_id, after_seq=after_seq, upto_seq=upto_seq
    )
    return messages, last_seq or 0


@db_hop
def correct_message(*, room_id: int, user, message_id: int, body: str) -> None:
    services.message_correct(
        room_id=room_id, message_id=message_id, user=user, body=body
    )


@db_hop
def delete_message(*, room_id: int, user, role: str, message_id: int):
    message, changed = services.message_delete(
        room_id=room_id, message_id=message_id, user=user, role=role
    )
    return {"message_id": message.pk, "seq": message.seq}, changed


@db_hop
def report_message(*, room_id: int, user, message_id: int, reason: str) -> None:
    services.message_report(
        room_id=room_id, message_id=message_id, user=user, reason=reason
    )


@db_hop
def mute_member(*, room_id: int, actor, role: str, user_id: int, minutes: int):
    # The room and session as they are now (sockets keep only ids).
    room = Room.objects.select_related("session__club").get(pk=room_id)
    mute = services.member_mute(
        room=room, actor=actor, role=role, user_id=user_id, minutes=minutes
    )
    return mute.until if mute else None


@db_hop
def mark_read(*, room_id: int, user, seq: int) -> None:
    services.room_mark_read(room_id=room_id, user=user, seq=seq)
