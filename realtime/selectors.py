"""Reads of the realtime app, with their joins done."""

from django.db.models import (
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest

from backend.accounts.models import User
from clubs.models import Session
from clubs.selectors import session_list_for_rooms
from realtime.models import Correction, Message, MessageReport, ReadMarker, Room
from realtime.rendered import Rendered, rendered_replay

REPLAY_LIMIT = 500


def _with_corrections(queryset: QuerySet[Message]) -> QuerySet[Message]:
    return queryset.select_related("author").prefetch_related(
        Prefetch("corrections", queryset=Correction.objects.select_related("author"))
    )


def _count_after_marker(messages: QuerySet[Message], read_to) -> Subquery:
    """How many of ``messages`` (of the outer room) come after the read marker."""
    return Subquery(
        messages.filter(room_id=OuterRef("pk"), seq__gt=Coalesce(Subquery(read_to), 0))
        .order_by()
        .values("room_id")
        .annotate(count=Count("pk"))
        .values("count"),
        output_field=IntegerField(),
    )


def room_list_for_user(*, user: User) -> QuerySet[Session]:
    """The sessions whose rooms the user may join, newest first, annotated with
    ``last_seq``, ``last_message_id`` and the user's ``unread_count`` (others'
    live messages after their read marker).

    The unread count comes from the room's ``seq`` counter, not from counting
    its history: last seq minus my read seq, minus what does not count after my
    marker (my own messages, others' deleted ones: few, and found by index), so
    it costs the same in a room of 50 messages or 50,000.
    """
    # Nested inside the message subqueries: OuterRef is the message's room.
    read_to = ReadMarker.objects.filter(room_id=OuterRef("room_id"), user=user).values(
        "last_read_seq"
    )[:1]
    last_seq = Coalesce(
        Subquery(Room.objects.filter(pk=OuterRef("pk")).values("last_seq")[:1]), 0
    )
    read_seq = Coalesce(
        Subquery(
            ReadMarker.objects.filter(room_id=OuterRef("pk"), user=user).values(
                "last_read_seq"
            )[:1]
        ),
        0,
    )
    mine = _count_after_marker(Message.objects.filter(author=user), read_to)
    deleted = _count_after_marker(
        Message.objects.filter(deleted_at__isnull=False).exclude(author=user), read_to
    )
    # The per-room subqueries run on the outer query, which has no DISTINCT:
    # the database can then sort and cut the page before computing them,
    # rather than computing them for every room the user has.
    return (
        Session.objects.filter(pk__in=session_list_for_rooms(user=user).values("pk"))
        .select_related("club")
        .annotate(
            last_seq=last_seq,
            last_message_id=Subquery(
                Message.objects.filter(room_id=OuterRef("pk"))
                .order_by("-seq")
                .values("pk")[:1]
            ),
            unread_count=Greatest(
                ExpressionWrapper(
                    last_seq - read_seq - Coalesce(mine, 0) - Coalesce(deleted, 0),
                    output_field=IntegerField(),
                ),
                0,
                output_field=IntegerField(),
            ),
        )
        .order_by("-starts_at", "-id")
    )


def message_map(*, ids: list[int]) -> dict[int, Message]:
    """Messages by id, with authors: the last-message previews of a room page."""
    return {
        m.pk: m for m in Message.objects.select_related("author").filter(pk__in=ids)
    }


def message_history(
    *,
    room_id: int,
    after_seq: int | None = None,
    before_seq: int | None = None,
    limit: int = 50,
) -> tuple[list[Message], bool]:
    """One page of a room's history in ``seq`` order, and whether more exist.

    With ``after_seq`` the page is the oldest messages after it (catching up);
    without, the newest ones (before ``before_seq`` if given: scrolling back).
    """
    queryset = _with_corrections(Message.objects.filter(room_id=room_id))
    if before_seq is not None:
        queryset = queryset.filter(seq__lt=before_seq)
    if after_seq is not None:
        page = list(queryset.filter(seq__gt=after_seq).order_by("seq")[: limit + 1])
        return page[:limit], len(page) > limit
    page = list(queryset.order_by("-seq")[: limit + 1])
    has_more = len(page) > limit
    return page[:limit][::-1], has_more


def message_replay(
    *, room_id: int, after_seq: int, upto_seq: int | None = None
) -> list[Rendered] | None:
    """The messages after ``after_seq`` (up to ``upto_seq``) for a resuming
    socket, in ``seq`` order, each rendered to its payload's JSON by the
    database: one statement (``realtime.rendered``).

    Returns None when more than REPLAY_LIMIT are missing: the app must page
    through REST history instead (``resync_required``).
    """
    found = rendered_replay(
        room_id=room_id, after_seq=after_seq, upto_seq=upto_seq, limit=REPLAY_LIMIT + 1
    )
    return None if len(found) > REPLAY_LIMIT else found


def report_list(*, status: str | None = None) -> QuerySet[MessageReport]:
    queryset = MessageReport.objects.select_related(
        "reporter", "message", "message__author"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-id")
