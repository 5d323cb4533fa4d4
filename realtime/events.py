"""Broadcast helpers: the one way domain apps tell live rooms about changes.

Domain services call these inside ``transaction.on_commit`` so a room never
hears about something that was rolled back.
"""


def room_access_revoked(*, session_id: int, user_id: int) -> None:
    """The user may no longer be in the session's room: close their sockets.

    Placeholder until the realtime app implements it (issue 5).
    """
