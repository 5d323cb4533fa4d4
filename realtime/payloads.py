"""The JSON shapes of messages and corrections, shared by REST and WebSocket.

Built as plain dicts (not DRF serializers) because the consumer renders one on
every send; ``realtime.serializers`` documents the same shapes for OpenAPI and
a test keeps the two in step. A replay's messages come already rendered by the
database (``realtime.rendered``, held to ``message_payload`` by a test); here
they are only joined into frames.
"""

import json
from typing import Any

from django.utils.translation import gettext as _

from backend.api.timefmt import iso_utc
from realtime.models import Correction, Message
from realtime.rendered import Rendered


def _iso(value) -> str:
    return iso_utc(value)


def _name(user) -> str:
    # No author: the account was deleted (its messages lost their author).
    return str(user.public_name) if user is not None else str(_("Deleted user"))


def correction_payload(correction: Correction, message: Message) -> dict[str, Any]:
    return {
        "id": correction.pk,
        "message_id": message.pk,
        "seq": message.seq,
        "author_id": correction.author_id,
        "author_name": _name(correction.author),
        "body": correction.body,
        "diff": correction.diff,
        "created_at": _iso(correction.created_at),
    }


def message_payload(
    message: Message, *, corrections: list[Correction] | None = None
) -> dict[str, Any]:
    deleted = message.deleted_at is not None
    if corrections is None:
        corrections = [] if deleted else list(message.corrections.all())
    return {
        "id": message.pk,
        "room_id": message.room_id,
        "seq": message.seq,
        "author_id": message.author_id,
        "author_name": _name(message.author),
        "client_msg_id": str(message.client_msg_id),
        "body": "" if deleted else message.body,
        "reply_to": message.reply_to_id,
        "created_at": _iso(message.created_at),
        "deleted": deleted,
        "corrections": []
        if deleted
        else [correction_payload(c, message) for c in corrections],
    }


def render(frame: dict[str, Any]) -> str:
    """Serialize a frame once; the text is what every recipient is sent."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


# A message.replay frame stays within the documented frame size.
REPLAY_BATCH_BYTES = 64 * 1024
REPLAY_BATCH_MESSAGES = 100
_REPLAY_HEAD = '{"type":"message.replay","messages":['
_REPLAY_TAIL = "]}"


def message_new_frame(message_json: str) -> str:
    """The message.new frame of a payload rendered already."""
    return '{"type":"message.new","message":' + message_json + "}"


def replay_frames(messages: list[Rendered]) -> list[tuple[int, str]]:
    """``messages`` in order, as the texts of message.replay frames with the
    seq of each frame's last message: at most REPLAY_BATCH_MESSAGES a frame and,
    but for a single message larger than that, at most REPLAY_BATCH_BYTES."""
    frames: list[tuple[int, str]] = []
    batch: list[str] = []
    size = len(_REPLAY_HEAD) + len(_REPLAY_TAIL)
    last_seq = 0
    for seq, text in messages:
        length = len(text.encode()) + 1  # its comma
        if batch and (
            len(batch) == REPLAY_BATCH_MESSAGES or size + length > REPLAY_BATCH_BYTES
        ):
            frames.append((last_seq, _REPLAY_HEAD + ",".join(batch) + _REPLAY_TAIL))
            batch, size = [], len(_REPLAY_HEAD) + len(_REPLAY_TAIL)
        batch.append(text)
        size += length
        last_seq = seq
    if batch:
        frames.append((last_seq, _REPLAY_HEAD + ",".join(batch) + _REPLAY_TAIL))
    return frames
