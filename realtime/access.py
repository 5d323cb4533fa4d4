"""Permission-checked getters of the realtime app: the one way the REST API
and the room consumer load a room for a user."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.api.errors import Forbidden, NotFound
from clubs.models import Session
from clubs.selectors import session_role, session_with_role_facts
from realtime.models import Mute, Room


def room_access(
    *, room_id: int, user: User, with_mute: bool = False
) -> tuple[Room, str]:
    """The room of session ``room_id`` and the user's role in it.

    NotFound if there is no such session, Forbidden if the user may not join.
    Creates the Room row lazily. One query when the room exists (the session,
    its club, the role's facts and the room's counter together; with
    ``with_mute``, also ``room.session.muted_until``, the user's mute here).
    """
    session = None
    if 0 < room_id < 2**63 and user.is_authenticated:
        queryset = session_with_role_facts(
            Session.objects.select_related("club", "room").filter(pk=room_id),
            user=user,
        )
        if with_mute:
            queryset = queryset.annotate(
                muted_until=Subquery(
                    Mute.objects.filter(
                        room_id=OuterRef("pk"),
                        user_id=user.pk,
                        until__gt=timezone.now(),
                    ).values("until")[:1]
                )
            )
        session = queryset.first()
    elif 0 < room_id < 2**63:
        session = Session.objects.select_related("club").filter(pk=room_id).first()
    if session is None:
        raise NotFound(_("There is no such room."))
    role = session_role(session=session, user=user)
    # The facts were the user's, now: not for later role questions.
    session.role_facts_for = None
    if role is None:
        raise Forbidden(_("You are not a member of this room."))
    try:
        room = session.room
    except Room.DoesNotExist:
        room, _created = Room.objects.get_or_create(session=session)
    room.session = session
    return room, role
