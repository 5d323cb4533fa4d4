from django.db.models import Q, QuerySet

from backend.accounts.models import User
from clubs.models import Registration, Session


class SessionRole:
    HOST = "host"
    STAFF = "staff"
    PARTICIPANT = "participant"


def session_role(*, session: Session, user: User) -> str | None:
    """The user's role in a session's room, or None if they may not join.

    Confirmed participants (and those marked attended), the club's hosts and
    staff may join; waitlisted, cancelled and other users may not.
    """
    if not user.is_authenticated:
        return None
    if session.club.hosts.filter(pk=user.pk).exists():
        return SessionRole.HOST
    if user.is_staff:
        return SessionRole.STAFF
    if Registration.objects.filter(
        Q(status=Registration.Status.CONFIRMED)
        | Q(status=Registration.Status.ATTENDED),
        session=session,
        user=user,
    ).exists():
        return SessionRole.PARTICIPANT
    return None


def session_list_for_rooms(*, user: User) -> QuerySet[Session]:
    """Sessions whose rooms the user may join (hosted, or confirmed/attended)."""
    if user.is_staff:
        return Session.objects.select_related("club")
    return (
        Session.objects.filter(
            Q(club__hosts=user)
            | Q(
                registrations__user=user,
                registrations__status__in=[
                    Registration.Status.CONFIRMED,
                    Registration.Status.ATTENDED,
                ],
            )
        )
        .distinct()
        .select_related("club")
    )
