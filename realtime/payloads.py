"""The JSON shapes of messages and corrections, shared by REST and WebSocket.

Built as plain dicts (not DRF serializers) because the consumer renders one on
every send; ``realtime.serializers`` documents the same shapes for OpenAPI and
a test keeps the two in step.
"""

import json
from typing import Any

from django.utils.translation import gettext as _

from backend.accounts.models import public_name_of
from backend.api.timefmt import iso_utc
from realtime.models import Correction, Message


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


# What message_payloads_of_rows reads: the columns of message_payload.
MESSAGE_COLUMNS = (
    "id",
    "room_id",
    "seq",
    "author_id",
    "author__display_name",
    "author__deleted_at",
    "client_msg_id",
    "body",
    "reply_to_id",
    "created_at",
    "deleted_at",
)
CORRECTION_COLUMNS = (
    "id",
    "message_id",
    "author_id",
    "author__display_name",
    "author__deleted_at",
    "body",
    "diff",
    "created_at",
)


def _row_name(row: dict) -> str:
    if row["author_id"] is None:
        return str(_("Deleted user"))
    return str(
        public_name_of(
            user_id=row["author_id"],
            display_name=row["author__display_name"],
            deleted_at=row["author__deleted_at"],
        )
    )


def message_payloads_of_rows(
    rows: list[dict], corrections: dict[int, list[dict]]
) -> list[dict[str, Any]]:
    """``message_payload`` of many messages read as ``values(*MESSAGE_COLUMNS)``
    (corrections by message id, as ``values(*CORRECTION_COLUMNS)``): the same
    shapes without a model instance per message, author and correction, which
    was most of the cost of replaying hundreds of messages to a socket."""
    payloads = []
    for row in rows:
        deleted = row["deleted_at"] is not None
        payloads.append(
            {
                "id": row["id"],
                "room_id": row["room_id"],
                "seq": row["seq"],
                "author_id": row["author_id"],
                "author_name": _row_name(row),
                "client_msg_id": str(row["client_msg_id"]),
                "body": "" if deleted else row["body"],
                "reply_to": row["reply_to_id"],
                "created_at": _iso(row["created_at"]),
                "deleted": deleted,
                "corrections": []
                if deleted
                else [
                    {
                        "id": c["id"],
                        "message_id": row["id"],
                        "seq": row["seq"],
                        "author_id": c["author_id"],
                        "author_name": _row_name(c),
                        "body": c["body"],
                        "diff": c["diff"],
                        "created_at": _iso(c["created_at"]),
                    }
                    for c in corrections.get(row["id"], ())
                ],
            }
        )
    return payloads


def render(frame: dict[str, Any]) -> str:
    """Serialize a frame once; the text is what every recipient is sent."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


# A message.replay frame stays within the documented frame size.
REPLAY_BATCH_BYTES = 64 * 1024
REPLAY_BATCH_MESSAGES = 100
_FRAME_OVERHEAD = 64  # {"type":"message.replay","messages":[...]}
_PAYLOAD_OVERHEAD = 400  # keys, ids, time stamps of a payload or correction
_MAX_BYTES_PER_CHAR = 6  # JSON text of one code point: at most \uXXXX


def _size_bound(payload: dict) -> int:
    """An upper bound of the payload's JSON length in UTF-8 bytes, without
    rendering it: every character of its texts counted at the most it can
    take (6 bytes, an escaped control character)."""
    chars = len(payload["body"]) + len(payload["author_name"])
    size = _PAYLOAD_OVERHEAD
    for correction in payload["corrections"]:
        size += _PAYLOAD_OVERHEAD + 40 * len(correction["diff"])
        chars += len(correction["body"]) + len(correction["author_name"])
        chars += sum(len(run["text"]) for run in correction["diff"])
    return size + _MAX_BYTES_PER_CHAR * chars


def replay_batches(payloads: list[dict]) -> list[list[dict]]:
    """``payloads`` in order, cut into the ``messages`` of message.replay
    frames: at most REPLAY_BATCH_MESSAGES each and, but for a single message
    larger than that, at most REPLAY_BATCH_BYTES of JSON."""
    batches: list[list[dict]] = []
    batch: list[dict] = []
    size = _FRAME_OVERHEAD
    for payload in payloads:
        bound = _size_bound(payload) + 1  # its comma
        if batch and (
            len(batch) == REPLAY_BATCH_MESSAGES or size + bound > REPLAY_BATCH_BYTES
        ):
            batches.append(batch)
            batch, size = [], _FRAME_OVERHEAD
        batch.append(payload)
        size += bound
    if batch:
        batches.append(batch)
    return batches
