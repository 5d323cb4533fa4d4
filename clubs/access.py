"""Permission-checked getters of the clubs app: the one way APIs, consumers
and views load clubs and sessions on a user's behalf.

A getter answers 404 for an object the caller may not know about and 403 for
an action the caller may not take on an object they can see. Every member can
see clubs and sessions (they are public listings), so the only 403s here are
for host-only actions.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import User
from backend.api.errors import Forbidden, NotFound
from clubs.models import Club, Session
from clubs.selectors import session_with_state


def club_get(*, club_id: int) -> Club:
    club = (
        Club.objects.prefetch_related(
            Prefetch("hosts", queryset=User.objects.order_by("id"))
        )
        .filter(pk=club_id)
        .first()
    )
    if club is None:
        raise NotFound()
    return club


def club_get_for_host(*, user: User, club_id: int) -> Club:
    """The club, if the user hosts it (or is staff): 404 unknown, 403 not a host."""
    club = club_get(club_id=club_id)
    if not (user.is_staff or user in club.hosts.all()):
        raise Forbidden(_("Only the club's hosts may do this."), code="not_host")
    return club


def session_get(*, user: User, session_id: int) -> Session:
    """Any member may see any session; unknown ids are 404."""
    session = session_with_state(user=user, session_id=session_id)
    if session is None:
        raise NotFound()
    return session


def session_get_for_host(*, user: User, session_id: int) -> Session:
    """The session, if the user hosts its club or is staff (else 403)."""
    session = session_get(user=user, session_id=session_id)
    if not (user.is_staff or session.is_host):
        raise Forbidden(_("Only the club's hosts may do this."), code="not_host")
    return session
