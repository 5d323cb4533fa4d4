"""Writes of the realtime app: rooms, messages, corrections, moderation.

The consumer calls these through ``database_sync_to_async``; each one is one
transaction, so a WebSocket frame costs one hop to the thread pool. Each write
that open rooms must hear of broadcasts it after commit (``realtime.events``),
whoever called it: the consumer, the admin or any future caller.
"""

import math
import uuid
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.api.errors import ApiError, Conflict, Forbidden, InvalidInput, NotFound
from backend.api.timefmt import iso_utc
from clubs.selectors import SessionRole, session_role
from realtime import events
from realtime.diff import word_diff
from realtime.models import (
    BODY_MAX_LENGTH,
    Correction,
    Message,
    MessageReport,
    Mute,
    ReadMarker,
    Room,
)

MODERATOR_ROLES = (SessionRole.HOST, SessionRole.STAFF)
MUTE_MAX_MINUTES = 7 * 24 * 60


class Muted(ApiError):
    status_code = 403
    code = "muted"


def _active_mute_until(*, room_id: int, user_id: int):
    return (
        Mute.objects.filter(room_id=room_id, user_id=user_id, until__gt=timezone.now())
        .values_list("until", flat=True)
        .first()
    )


def _muted_error(until) -> Muted:
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    return Muted(
        _("You are muted in this room for %(seconds)d more seconds.")
        % {"seconds": seconds},
        extra={"retry_after": seconds, "until": iso_utc(until)},
    )


class _SeqNotAllocated(Exception):
    """The room is missing, or the author is muted in it."""


def _allocate_seq(*, room_id: int, user_id: int) -> int:
    """Take the room's next seq, locking its row until the transaction ends.

    One statement does what ``select_for_update`` + ``save`` would do in three
    round trips: increment ``last_seq`` (the row lock serializes concurrent
    senders, so seq has no gaps or duplicates; a rollback returns the number)
    unless the author is muted, and return the new value.
    """
    quote = connection.ops.quote_name
    # Only our own table names are interpolated; values are parameters.
    room_table, mute_table = quote(Room._meta.db_table), quote(Mute._meta.db_table)
    sql = (
        f"UPDATE {room_table} SET last_seq = last_seq + 1 "  # noqa: S608
        f"WHERE session_id = %s AND NOT EXISTS (SELECT 1 FROM "
        f"{mute_table} WHERE room_id = %s AND user_id = %s "
        f"AND until > %s) RETURNING last_seq"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [room_id, room_id, user_id, now])
        row = cursor.fetchone()
    if row is None:
        raise _SeqNotAllocated
    return row[0]


def _sent_before(*, room_id: int, user: User, client_msg_id: uuid.UUID):
    return (
        Message.objects.select_related("author")
        .filter(room_id=room_id, author=user, client_msg_id=client_msg_id)
        .first()
    )


def message_send(
    *,
    room_id: int,
    user: User,
    body: str,
    client_msg_id: uuid.UUID,
    reply_to_id: int | None = None,
) -> tuple[Message, bool]:
    """Store a message with the room's next ``seq``; ``(message, created)``.

    The hot path is one transaction of two statements (allocate seq, insert).
    A retry of a stored ``client_msg_id`` fails the insert on its unique
    constraint; the transaction, seq included, rolls back and the original is
    returned with ``created`` False, so a retry stores nothing and leaves no gap.
    """
    if len(body) > BODY_MAX_LENGTH or not body.strip():
        raise InvalidInput(fields={"body": [_("Write 1 to 2000 characters.")]})
    try:
        with transaction.atomic():
            seq = _allocate_seq(room_id=room_id, user_id=user.pk)
            if (
                reply_to_id is not None
                and not Message.objects.filter(pk=reply_to_id, room_id=room_id).exists()
            ):
                raise InvalidInput(
                    fields={"reply_to": [_("There is no such message in this room.")]}
                )
            message = Message(
                room_id=room_id,
                seq=seq,
                author=user,
                client_msg_id=client_msg_id,
                body=body,
                reply_to_id=reply_to_id,
            )
            message.save(force_insert=True)
            events.message_created(message=message)
    except (IntegrityError, _SeqNotAllocated) as error:
        original = _sent_before(room_id=room_id, user=user, client_msg_id=client_msg_id)
        if original is not None:
            return original, False
        if isinstance(error, IntegrityError):
            raise
        until = _active_mute_until(room_id=room_id, user_id=user.pk)
        if until is not None:
            raise _muted_error(until) from None
        raise NotFound(_("There is no such room.")) from None
    return message, True


def _message_in_room(*, room_id: int, message_id: int, lock: bool = False) -> Message:
    queryset = Message.objects.select_related("author")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    message = queryset.filter(pk=message_id, room_id=room_id).first()
    if message is None:
        raise NotFound(_("There is no such message in this room."))
    return message


def message_correct(
    *, room_id: int, message_id: int, user: User, body: str
) -> tuple[Correction, Message]:
    """Offer a corrected version of a message; stores the word-level diff."""
    if len(body) > BODY_MAX_LENGTH or not body.strip():
        raise InvalidInput(fields={"body": [_("Write 1 to 2000 characters.")]})
    with transaction.atomic():
        until = _active_mute_until(room_id=room_id, user_id=user.pk)
        if until is not None:
            raise _muted_error(until)
        message = _message_in_room(room_id=room_id, message_id=message_id)
        if message.deleted_at is not None:
            raise Conflict(_("This message was deleted."), code="message_deleted")
        if body == message.body:
            raise InvalidInput(
                fields={"body": [_("The correction is the same as the message.")]}
            )
        correction = Correction.objects.create(
            message=message, author=user, body=body, diff=word_diff(message.body, body)
        )
        correction.author = user
        events.message_corrected(correction=correction, message=message)
    return correction, message


def message_edit(*, message_id: int, user: User, body: str) -> tuple[Message, bool]:
    """Staff replace a message's text (moderation, e.g. from the admin).

    Returns ``(message, changed)``; open rooms get ``message.edited``.
    """
    if not user.is_staff:
        raise Forbidden(_("Only staff may edit others' messages."))
    if len(body) > BODY_MAX_LENGTH or not body.strip():
        raise InvalidInput(fields={"body": [_("Write 1 to 2000 characters.")]})
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("author")
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            raise NotFound(_("There is no such message in this room."))
        if message.deleted_at is not None:
            raise Conflict(_("This message was deleted."), code="message_deleted")
        if body == message.body:
            return message, False
        message.body = body
        message.save(update_fields=["body"])
        events.message_edited(message=message)
    return message, True


def message_delete(
    *, room_id: int, message_id: int, user: User, role: str
) -> tuple[Message, bool]:
    """Leave a tombstone; own messages, or any for hosts and staff.

    Returns ``(message, changed)``: deleting twice changes nothing.
    """
    with transaction.atomic():
        message = _message_in_room(room_id=room_id, message_id=message_id, lock=True)
        if message.author_id != user.pk and role not in MODERATOR_ROLES:
            raise Forbidden(_("You may delete only your own messages."))
        if message.deleted_at is not None:
            return message, False
        message.deleted_at = timezone.now()
        message.deleted_by = user
        message.save(update_fields=["deleted_at", "deleted_by"])
        events.message_deleted(message=message, by=user.pk)
    return message, True


def message_report(
    *, room_id: int, message_id: int, user: User, reason: str
) -> tuple[MessageReport, bool]:
    """Send a message to the staff queue; reporting it again changes nothing."""
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise InvalidInput(fields={"reason": [_("Write 1 to 500 characters.")]})
    message = _message_in_room(room_id=room_id, message_id=message_id)
    try:
        with transaction.atomic():
            report = MessageReport.objects.create(
                message=message, reporter=user, reason=reason
            )
    except IntegrityError:
        return MessageReport.objects.get(message=message, reporter=user), False
    return report, True


def member_mute(
    *, room: Room, actor: User, role: str, user_id: int, minutes: int
) -> Mute | None:
    """Hosts and staff silence a member for ``minutes`` (0 lifts the mute)."""
    if role not in MODERATOR_ROLES:
        raise Forbidden(_("Only the session's hosts and staff may mute members."))
    if not 0 <= minutes <= MUTE_MAX_MINUTES:
        raise InvalidInput(
            fields={"minutes": [_("Use 0 to %(max)d.") % {"max": MUTE_MAX_MINUTES}]}
        )
    target = User.objects.filter(pk=user_id).first()
    target_role = (
        session_role(session=room.session, user=target) if target is not None else None
    )
    if target_role is None:
        raise NotFound(_("There is no such member in this room."))
    if target_role in MODERATOR_ROLES:
        raise Forbidden(_("Hosts and staff cannot be muted."))
    if minutes == 0:
        mute_lift(room_id=room.pk, user_id=target.pk, actor=actor)
        return None
    with transaction.atomic():
        mute, _created = Mute.objects.update_or_create(
            room=room,
            user=target,
            defaults={
                "until": timezone.now() + timedelta(minutes=minutes),
                "muted_by": actor,
            },
        )
        events.member_muted(
            room_id=room.pk, user_id=target.pk, until=mute.until, by=actor.pk
        )
    return mute


def mute_lift(*, room_id: int, user_id: int, actor: User) -> bool:
    """End a member's mute in a room now, telling the open room; False if
    there was none. The caller has checked that ``actor`` may (a host or staff
    in the room, staff in the admin)."""
    with transaction.atomic():
        deleted, _by_model = Mute.objects.filter(
            room_id=room_id, user_id=user_id
        ).delete()
        if deleted:
            events.member_muted(
                room_id=room_id, user_id=user_id, until=None, by=actor.pk
            )
    return bool(deleted)


def room_mark_read(*, room_id: int, user: User, seq: int) -> None:
    """Move the user's read marker forward (never back, never past last_seq)."""
    last_seq = (
        Room.objects.filter(pk=room_id).values_list("last_seq", flat=True).first() or 0
    )
    seq = min(seq, last_seq)
    updated = ReadMarker.objects.filter(room_id=room_id, user=user).update(
        last_read_seq=Greatest(F("last_read_seq"), seq)
    )
    if updated:
        return
    try:
        with transaction.atomic():
            ReadMarker.objects.create(room_id=room_id, user=user, last_read_seq=seq)
    except IntegrityError:  # created meanwhile by another connection
        ReadMarker.objects.filter(room_id=room_id, user=user).update(
            last_read_seq=Greatest(F("last_read_seq"), seq)
        )
