"""Messages rendered to their JSON by the database, for replays.

A resume replays up to hundreds of messages. Reading them as rows, converting
every value to the ORM's types and rendering a dict per message was most of a
resume's cost (docs/performance.md, issue 14). Here one statement returns each
message's ``message_payload`` already as JSON text (SQLite's ``json_object``,
PostgreSQL's ``json_build_object``); the consumer only joins the texts into
frames. A test holds the texts to ``message_payload`` for every kind of
message, author and correction, on both databases.
"""

from functools import cache

from django.db import connections
from django.utils.translation import gettext as _

from backend.accounts.models import User
from realtime.models import Correction, Message

# A message's seq and its payload as JSON: rows as the driver gives them.
Rendered = tuple[int, str]


def _name(author_id: str, user: str) -> str:
    """``public_name_of`` in SQL; the labels come as parameters, translated
    into the language active when the replay is read."""
    user_id = f"CAST({user}.id AS TEXT)"
    return (
        f"CASE WHEN {author_id} IS NULL OR {user}.deleted_at IS NOT NULL "
        "THEN %(deleted_user)s "
        f"WHEN {user}.display_name = '' "
        f"THEN replace(%(member)s, %(placeholder)s, {user_id}) "
        f"ELSE {user}.display_name END"
    )


def _sqlite(column: str, kind: str) -> str:
    if kind == "iso":
        # Stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC: iso_utc's text.
        return f"replace({column}, ' ', 'T') || 'Z'"
    # A UUIDField is stored as 32 hex digits; str(uuid) has the dashes.
    return " || '-' || ".join(
        f"substr({column}, {start}, {length})"
        for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    )


def _postgresql(column: str, kind: str) -> str:
    if kind == "iso":
        utc = f"({column} AT TIME ZONE 'UTC')"
        # isoformat() leaves out a fraction of zero microseconds.
        return (
            f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
            f"mod(extract(microseconds FROM {utc})::bigint, 1000000) = 0 "
            f"THEN '' ELSE '.' || to_char({utc}, 'US') END || 'Z'"
        )
    return f"{column}::text"


@cache
def _replay_sql(alias: str, upto: bool) -> str:
    connection = connections[alias]
    vendor, quote = connection.vendor, connection.ops.quote_name
    message = quote(Message._meta.db_table)
    correction = quote(Correction._meta.db_table)
    user = quote(User._meta.db_table)
    if vendor == "sqlite":
        obj, agg, convert = "json_object", "json_group_array", _sqlite
        false, true, empty = "json('false')", "json('true')", "json('[]')"
        diff = "json(c.diff)"
    elif vendor == "postgresql":
        obj, agg, convert = "json_build_object", "json_agg", _postgresql
        false, true, empty = "false", "true", "'[]'::json"
        diff = "c.diff"
    else:  # pragma: no cover - the project runs on these two
        raise NotImplementedError(vendor)
    correction_object = (
        f"{obj}('id', c.id, 'message_id', c.message_id, 'seq', m.seq, "
        f"'author_id', c.author_id, 'author_name', {_name('c.author_id', 'cu')}, "
        f"'body', c.body, 'diff', {diff}, "
        f"'created_at', {convert('c.created_at', 'iso')})"
    )
    if vendor == "sqlite":
        # Ordered in a subquery (an aggregate's own ORDER BY is SQLite 3.44+);
        # json() keeps each object JSON, not text, through the subquery.
        # Only our own table names are interpolated; values are parameters.
        corrections = (
            f"(SELECT {agg}(json(o.obj)) FROM (SELECT {correction_object} AS obj "  # noqa: S608
            f"FROM {correction} c LEFT JOIN {user} cu ON cu.id = c.author_id "
            "WHERE c.message_id = m.id ORDER BY c.created_at, c.id) o)"
        )
        corrections = f"json({corrections})"
    else:
        corrections = (
            f"(SELECT COALESCE({agg}({correction_object} ORDER BY c.created_at, c.id), "  # noqa: S608
            f"{empty}) FROM {correction} c LEFT JOIN {user} cu ON cu.id = c.author_id "
            "WHERE c.message_id = m.id)"
        )
    # Most messages have no correction: a probe of the index, not the
    # aggregate's subquery (a quarter of the statement's time on SQLite).
    corrected = f"EXISTS (SELECT 1 FROM {correction} x WHERE x.message_id = m.id)"  # noqa: S608
    message_object = (
        f"{obj}('id', m.id, 'room_id', m.room_id, 'seq', m.seq, "
        f"'author_id', m.author_id, 'author_name', {_name('m.author_id', 'u')}, "
        f"'client_msg_id', {convert('m.client_msg_id', 'uuid')}, "
        "'body', CASE WHEN m.deleted_at IS NULL THEN m.body ELSE '' END, "
        "'reply_to', m.reply_to_id, "
        f"'created_at', {convert('m.created_at', 'iso')}, "
        f"'deleted', CASE WHEN m.deleted_at IS NULL THEN {false} ELSE {true} END, "
        f"'corrections', CASE WHEN m.deleted_at IS NULL AND {corrected} "
        f"THEN {corrections} ELSE {empty} END)"
    )
    if vendor == "postgresql":
        message_object += "::text"
    # Only our own table names are interpolated; values are parameters.
    return (
        f"SELECT m.seq, {message_object} FROM {message} m "  # noqa: S608
        f"LEFT JOIN {user} u ON u.id = m.author_id "
        "WHERE m.room_id = %(room)s AND m.seq > %(after)s "
        + ("AND m.seq <= %(upto)s " if upto else "")
        + "ORDER BY m.seq LIMIT %(limit)s"
    )


def rendered_replay(
    *, room_id: int, after_seq: int, upto_seq: int | None, limit: int
) -> list[Rendered]:
    """The messages after ``after_seq`` (up to ``upto_seq``), at most ``limit``,
    in seq order, each as its payload's JSON."""
    alias = Message.objects.db
    params = {
        "room": room_id,
        "after": after_seq,
        "limit": limit,
        "deleted_user": str(_("Deleted user")),
        "member": str(_("Member %(id)s")),
        "placeholder": "%(id)s",
    }
    if upto_seq is not None:
        params["upto"] = upto_seq
    with connections[alias].cursor() as cursor:
        cursor.execute(_replay_sql(alias, upto_seq is not None), params)
        return cursor.fetchall()
