"""Reads of the realtime app, with their joins done."""

from django.db.models import Prefetch, QuerySet

from backend.accounts.models import User
from clubs.models import Session
from clubs.selectors import session_list_for_rooms
from realtime.models import Correction, Message, MessageReport
from realtime.rendered import Rendered, rendered_replay
from realtime.room_states import NO_ROOM, room_states

REPLAY_LIMIT = 500


def _with_corrections(queryset: QuerySet[Message]) -> QuerySet[Message]:
    return queryset.select_related("author").prefetch_related(
        Prefetch("corrections", queryset=Correction.objects.select_related("author"))
    )


def room_list_for_user(*, user: User) -> QuerySet[Session]:
    """The sessions whose rooms the user may join, newest first. A page of
    them gets its rooms' state from ``with_room_states``."""
    return session_list_for_rooms(user=user).order_by("-starts_at", "-id")


def with_room_states(sessions: list[Session], *, user: User) -> list[Session]:
    """Give each session of a page its ``room_state`` (``realtime.room_states``):
    one statement for the page, whatever the rooms' history."""
    states = room_states(user_id=user.pk, room_ids=[s.pk for s in sessions])
    for session in sessions:
        session.room_state = states.get(session.pk, NO_ROOM)
    return sessions


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
