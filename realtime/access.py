"""Permission-checked getters of the realtime app: the one way the REST API
and the room consumer load a room for a user."""

from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.api.errors import Forbidden, NotFound
from clubs.models import Session
from clubs.selectors import session_role
from realtime.models import Room


def room_access(*, room_id: int, user: User) -> tuple[Room, str]:
    """The room of session ``room_id`` and the user's role in it.

    NotFound if there is no such session, Forbidden if the user may not join.
    Creates the Room row lazily.
    """
    session = (
        Session.objects.select_related("club").filter(pk=room_id).first()
        if 0 < room_id < 2**63
        else None
    )
    if session is None:
        raise NotFound(_("There is no such room."))
    role = session_role(session=session, user=user)
    if role is None:
        raise Forbidden(_("You are not a member of this room."))
    room, _created = Room.objects.get_or_create(session=session)
    room.session = session
    return room, role
