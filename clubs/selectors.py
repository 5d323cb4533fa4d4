"""Reads for the clubs app: roles and annotated querysets.

The permission-checked getters of clubs and sessions are in ``clubs.access``.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from backend.accounts.models import User
from clubs.models import (
    PLACE_HOLDING,
    Club,
    CoHostInvitation,
    Feedback,
    Registration,
    Session,
)
from clubs.session_states import with_session_states
from exercises.models import Exercise

# Registrations that are still "on": they can be cancelled, reminded, conflict.
LIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
# Registrations whose owner may see the online link.
LINK_HOLDING = PLACE_HOLDING


class SessionRole:
    HOST = "host"
    STAFF = "staff"
    PARTICIPANT = "participant"


def session_role(*, session: Session, user: User) -> str | None:
    """The user's role in a session's room, or None if they may not join.

    Confirmed participants (and those marked attended), the club's hosts and
    staff may join; waitlisted, cancelled and other users may not, and nor
    may participants once the session itself is cancelled.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    # From session_with_role_facts() when the session was loaded by it (one
    # query for a socket's handshake), else asked here.
    facts = getattr(session, "role_facts_for", None)
    if facts is not None and facts != user.pk:
        facts = None
    if facts is not None:
        return role_from_facts(
            user=user,
            hosts=session.user_hosts,
            cancelled=session.status == Session.Status.CANCELLED,
            holds_place=lambda: session.user_holds_place,
        )
    return role_from_facts(
        user=user,
        hosts=session.club.hosts.filter(pk=user.pk).exists(),
        cancelled=session.status == Session.Status.CANCELLED,
        holds_place=lambda: Registration.objects.filter(
            status__in=PLACE_HOLDING, session=session, user=user
        ).exists(),
    )


def role_from_facts(
    *, user: User, hosts: bool, cancelled: bool, holds_place: Callable[[], bool]
) -> str | None:
    """``session_role``'s rule, on facts already known (``holds_place`` is
    asked only when the answer depends on it)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if hosts:
        return SessionRole.HOST
    if user.is_staff:
        return SessionRole.STAFF
    if cancelled:
        return None
    if holds_place():
        return SessionRole.PARTICIPANT
    return None


def session_with_role_facts(
    queryset: QuerySet[Session], *, user: User
) -> QuerySet[Session]:
    """``queryset`` annotated with what ``session_role`` asks about ``user``
    (hosts the club? holds a place?), so that the role costs no more queries."""
    return queryset.annotate(
        role_facts_for=Value(user.pk, output_field=IntegerField()),
        user_hosts=Exists(
            Club.hosts.through.objects.filter(
                club_id=OuterRef("club_id"), user_id=user.pk
            )
        ),
        user_holds_place=Exists(
            Registration.objects.filter(
                session=OuterRef("pk"), user_id=user.pk, status__in=PLACE_HOLDING
            )
        ),
    )


def session_list_for_rooms(*, user: User) -> QuerySet[Session]:
    """Sessions whose rooms the user may join (hosted, or confirmed/attended)."""
    if user.is_staff:
        return Session.objects.select_related("club")
    return (
        Session.objects.filter(
            Q(club__hosts=user)
            | (
                Q(
                    registrations__user=user,
                    registrations__status__in=PLACE_HOLDING,
                )
                & ~Q(status=Session.Status.CANCELLED)
            )
        )
        .distinct()
        .select_related("club")
    )


# --- Clubs --------------------------------------------------------------------


def user_hosts_club(*, user: User, club: Club) -> bool:
    return club.hosts.filter(pk=user.pk).exists()


def club_list(*, user: User, filters: dict[str, Any]) -> QuerySet[Club]:
    qs = Club.objects.prefetch_related(
        Prefetch("hosts", queryset=User.objects.order_by("id"))
    )
    if filters.get("mine"):
        qs = qs.filter(hosts=user)
    active = filters.get("active")
    if active is None and not filters.get("mine"):
        active = True
    if active is not None:
        qs = qs.filter(active=active)
    for name in ("language", "city", "online"):
        if filters.get(name) is not None:
            qs = qs.filter(**{name: filters[name]})
    if filters.get("level"):
        qs = qs.filter(level_min__lte=filters["level"], level_max__gte=filters["level"])
    return qs.distinct()


def cohost_invitation_list_for_club(*, club: Club) -> QuerySet[CoHostInvitation]:
    """The club's invitations still waiting for an answer."""
    return CoHostInvitation.objects.select_related(
        "club", "invitee", "invited_by"
    ).filter(club=club, status=CoHostInvitation.Status.PENDING)


def cohost_invitation_list_for_invitee(*, user: User) -> QuerySet[CoHostInvitation]:
    return CoHostInvitation.objects.select_related(
        "club", "invitee", "invited_by"
    ).filter(invitee=user, status=CoHostInvitation.Status.PENDING)


# --- Sessions -----------------------------------------------------------------


def _sessions() -> QuerySet[Session]:
    # The exercise pack's ids are the only related rows a session shows.
    return Session.objects.select_related("club").prefetch_related(
        Prefetch("exercises", queryset=Exercise.objects.only("id").order_by("id"))
    )


def session_with_state(*, user: User, session_id: int) -> Session | None:
    """One session with what the user sees of it (``with_session_states``)."""
    session = _sessions().filter(pk=session_id).first()
    if session is not None:
        with_session_states([session], user_id=user.pk)
    return session


def _places_taken() -> Coalesce:
    return Coalesce(
        Subquery(
            Registration.objects.filter(
                session=OuterRef("pk"), status__in=PLACE_HOLDING
            )
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _mine(user: User) -> Q:
    """Sessions the user has a live registration in or hosts."""
    registered = Registration.objects.filter(session=OuterRef("pk"), user=user).exclude(
        status=Registration.Status.CANCELLED
    )
    hosted = Club.hosts.through.objects.filter(
        club_id=OuterRef("club_id"), user_id=user.pk
    )
    return Q(Exists(registered)) | Q(Exists(hosted))


def session_list(
    *, user: User, filters: dict[str, Any], now: datetime | None = None
) -> QuerySet[Session]:
    """Sessions matching the filters, soonest first.

    Without ``from``, only sessions that have not ended yet are listed. What
    the user sees of each (places left, their registration, hosting) is read
    for the page shown: ``with_session_states``.
    """
    now = now or timezone.now()
    qs = _sessions()
    start_from = filters.get("from")
    if start_from is not None:
        qs = qs.filter(starts_at__gte=start_from)
    else:
        qs = qs.filter(ends_at__gte=now)
    if filters.get("to") is not None:
        qs = qs.filter(starts_at__lte=filters["to"])
    if filters.get("language"):
        qs = qs.filter(club__language=filters["language"])
    if filters.get("city"):
        qs = qs.filter(club__city=filters["city"])
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("club") is not None:
        qs = qs.filter(club_id=filters["club"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    online = filters.get("online")
    if online is True:
        qs = qs.exclude(online_url="")
    elif online is False:
        qs = qs.filter(online_url="")
    has_space = filters.get("has_space")
    if has_space is True:
        qs = qs.alias(taken=_places_taken()).filter(
            capacity__gt=F("taken"), status=Session.Status.SCHEDULED, starts_at__gt=now
        )
    elif has_space is False:
        qs = qs.alias(taken=_places_taken()).filter(
            Q(status=Session.Status.CANCELLED) | Q(capacity__lte=F("taken"))
        )
    if filters.get("mine"):
        qs = qs.filter(_mine(user))
    if filters.get("hosted"):
        qs = qs.filter(club__hosts=user)
    return qs.order_by("starts_at", "id")


def session_can_see_online_url(*, session: Session, user: User) -> bool:
    """Hosts, staff and participants holding a place see the online link.

    Expects a session given its state (``with_session_states``).
    """
    return bool(
        user.is_staff
        or getattr(session, "is_host", False)
        or getattr(session, "my_status", None) in LINK_HOLDING
    )


def session_participants(*, session: Session, status: str | None = None):
    """The session's registrations (not cancelled ones unless asked for)."""
    qs = session.registrations.select_related("user")
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=Registration.Status.CANCELLED)
    return qs.order_by(
        Case(
            When(status=Registration.Status.WAITLISTED, then=Value(1)),
            default=Value(0),
        ),
        "waitlist_position",
        "created_at",
        "id",
    )


def feedback_summary(*, session: Session) -> dict[str, Any]:
    """Average rating and comments for hosts; authors stay anonymous."""
    qs = Feedback.objects.filter(session=session)
    stats = qs.aggregate(count=Count("pk"), average=Avg("rating"))
    average = stats["average"]
    return {
        "count": stats["count"],
        "average": round(float(average), 2) if average is not None else None,
        "comments": list(
            qs.exclude(comment="").values("rating", "comment", "created_at")
        ),
    }
