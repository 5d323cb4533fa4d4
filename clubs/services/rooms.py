"""Telling the chat rooms (realtime app) who lost access to a session's room."""

from collections.abc import Iterable

from backend.accounts.models import User
from clubs.models import Session


def revoke_room_access_on_commit(*, session_id: int, user_ids: Iterable[int]) -> None:
    """After commit, close the rooms of users who may no longer be in them.

    The check runs after commit against the final state, so a user who keeps
    another role (staff, a place in the session) keeps their socket.
    """
    user_ids = list(dict.fromkeys(user_ids))
    if not user_ids:
        return

    # Imported late: realtime depends on clubs, not the other way round.
    from realtime import events

    def revoke() -> None:
        from clubs.selectors import session_role

        session = Session.objects.select_related("club").filter(pk=session_id).first()
        if session is None:
            return
        for user in User.objects.filter(pk__in=user_ids):
            if session_role(session=session, user=user) is None:
                events.room_access_revoked(session_id=session_id, user_id=user.pk)

    events.on_commit(revoke)
