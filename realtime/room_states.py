"""A page of rooms' state for one user, in one statement of fixed SQL.

The rooms list shows each room's last seq, the user's unread count and a
preview of the last message. Built by the ORM as nested, correlated
subqueries, with the previews read as Message and User instances, this cost
5–6 ms of CPU per page of ten for statements the database answers in well
under a millisecond (docs/performance.md, issue 14). The statement is plain
SQL that SQLite and PostgreSQL both run; only our own table and column names
are interpolated, values are parameters.

The unread count comes from the room's ``seq`` counter, not from counting
its history: last seq minus my read seq, minus what does not count after my
marker (my own messages, others' deleted ones: few, and found by index), so
it costs the same in a room of 50 messages or 50,000.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TypedDict

from django.db import connections
from django.utils.translation import gettext as _

from backend.accounts.models import User, public_name_of
from realtime import rows
from realtime.models import Message, ReadMarker, Room


class MessagePreview(TypedDict):
    """What ``MessagePreviewSerializer`` shows of a room's last message."""

    id: int
    seq: int
    author_id: int | None
    author_name: str
    body: str  # empty when deleted
    created_at: datetime
    deleted: bool


@dataclass(frozen=True, slots=True)
class RoomState:
    last_seq: int = 0
    unread_count: int = 0
    last_message: MessagePreview | None = None


NO_ROOM = RoomState()  # a session whose room nobody has opened yet


@lru_cache(maxsize=128)  # one text per page length: at most the page size
def _states_sql(alias: str, count: int) -> str:
    quote = connections[alias].ops.quote_name
    room, message = quote(Room._meta.db_table), quote(Message._meta.db_table)
    marker, user = quote(ReadMarker._meta.db_table), quote(User._meta.db_table)
    room_id = quote(Room._meta.pk.column)
    after_marker = f"x.room_id = r.{room_id} AND x.seq > COALESCE(k.last_read_seq, 0)"
    ids = ", ".join(f"%(room_{i})s" for i in range(count))
    return (
        f"SELECT r.{room_id}, r.last_seq, COALESCE(k.last_read_seq, 0), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {message} x "
        f"WHERE {after_marker} AND x.author_id = %(user)s), "
        f"(SELECT COUNT(*) FROM {message} x WHERE {after_marker} "
        "AND x.deleted_at IS NOT NULL "
        "AND (x.author_id IS NULL OR x.author_id <> %(user)s)), "
        "m.id, m.author_id, m.body, m.created_at, m.deleted_at, "
        "u.display_name, u.deleted_at "
        f"FROM {room} r LEFT JOIN {marker} k "
        f"ON k.room_id = r.{room_id} AND k.user_id = %(user)s "
        f"LEFT JOIN {message} m ON m.room_id = r.{room_id} AND m.seq = r.last_seq "
        f"LEFT JOIN {user} u ON u.id = m.author_id "
        f"WHERE r.{room_id} IN ({ids})"
    )


def room_states(*, user_id: int, room_ids: list[int]) -> dict[int, RoomState]:
    """The state of each of ``room_ids`` that has a room row, for ``user_id``."""
    if not room_ids:
        return {}
    alias = Room.objects.db
    params = {"user": user_id} | {f"room_{i}": pk for i, pk in enumerate(room_ids)}
    with connections[alias].cursor() as cursor:
        cursor.execute(_states_sql(alias, len(room_ids)), params)
        found = cursor.fetchall()
    states = {}
    for pk, last_seq, read_seq, mine, deleted, *last in found:
        states[pk] = RoomState(
            last_seq=last_seq,
            unread_count=max(0, last_seq - read_seq - mine - deleted),
            last_message=_preview(last_seq, *last),
        )
    return states


def _author_name(author_id, display_name, deleted_at) -> str:
    # No author: the account was deleted (its messages lost their author).
    if author_id is None:
        return str(_("Deleted user"))
    return str(
        public_name_of(
            user_id=author_id, display_name=display_name, deleted_at=deleted_at
        )
    )


def _preview(
    seq, pk, author_id, body, created_at, deleted_at, display_name, author_deleted_at
) -> MessagePreview | None:
    if pk is None:  # no message yet
        return None
    deleted = deleted_at is not None
    return MessagePreview(
        id=pk,
        seq=seq,
        author_id=author_id,
        author_name=_author_name(author_id, display_name, author_deleted_at),
        body="" if deleted else body,
        created_at=rows.aware(created_at),
        deleted=deleted,
    )
