"""``access.room_join`` (the handshake's fixed SQL) answers exactly as
``access.room_access`` (the ORM's), for every kind of person and room."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.api.errors import Forbidden, NotFound
from clubs.models import Session
from realtime import access
from realtime.models import Mute, Room
from tests.factories import StaffFactory, UserFactory
from tests.realtime.conftest import make_session, register, send

pytestmark = pytest.mark.django_db


def _both(room_id: int, user):
    """What each path answers: (role, last_seq, muted_until) or the error."""
    try:
        room, role = access.room_access(room_id=room_id, user=user, with_mute=True)
        orm = (role, room.last_seq, room.session.muted_until)
    except (NotFound, Forbidden) as error:
        orm = (type(error), str(error.message))
    try:
        join = access.room_join(room_id=room_id, user=user)
        fixed = (join.role, join.last_seq, join.muted_until)
    except (NotFound, Forbidden) as error:
        fixed = (type(error), str(error.message))
    return orm, fixed


def _person(kind: str, session: Session, volunteer, newcomer):
    if kind == "host":
        return volunteer
    if kind == "participant":
        return newcomer
    user = UserFactory()
    if kind == "staff":
        user = StaffFactory()
    elif kind == "co-host":
        session.club.hosts.add(user)
    elif kind in ("waitlisted", "cancelled", "attended", "no_show"):
        register(session, user, kind)
    elif kind == "inactive participant":
        register(session, user)
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


KINDS = [
    "host",
    "co-host",
    "participant",
    "attended",
    "waitlisted",
    "cancelled",
    "no_show",
    "staff",
    "stranger",
    "inactive participant",
]
EXPECTED = {
    "host": "host",
    "co-host": "host",
    "participant": "participant",
    "attended": "participant",
    "staff": "staff",
}


@pytest.mark.parametrize("session_cancelled", [False, True])
@pytest.mark.parametrize("kind", KINDS)
def test_room_join_gives_room_access_answer(
    session, volunteer, newcomer, kind, session_cancelled
):
    send(session, volunteer, "Sveiki!")
    send(session, volunteer, "Kā jums iet?")
    user = _person(kind, session, volunteer, newcomer)
    if session_cancelled:
        Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)

    orm, fixed = _both(session.pk, user)

    assert fixed == orm
    expected = EXPECTED.get(kind)
    if session_cancelled and expected == "participant":
        expected = None
    if expected is None:
        assert fixed[0] is Forbidden
    else:
        assert fixed == (expected, 2, None)


def test_room_join_reports_a_running_mute_and_not_an_ended_one(
    session, volunteer, newcomer
):
    send(session, volunteer)
    until = timezone.now() + timedelta(minutes=10)
    mute = Mute.objects.create(
        room_id=session.pk, user=newcomer, muted_by=volunteer, until=until
    )

    orm, fixed = _both(session.pk, newcomer)
    assert fixed == orm == ("participant", 1, until)
    assert fixed[2].tzinfo is not None

    mute.until = timezone.now() - timedelta(seconds=1)
    mute.save(update_fields=["until"])
    orm, fixed = _both(session.pk, newcomer)
    assert fixed == orm == ("participant", 1, None)
    # Another member's mute is not hers.
    assert _both(session.pk, volunteer)[1] == ("host", 1, None)


def test_room_join_makes_the_room_on_the_first_join(volunteer, newcomer):
    session = make_session(hosts=[volunteer])
    register(session, newcomer)
    assert not Room.objects.filter(pk=session.pk).exists()

    join = access.room_join(room_id=session.pk, user=newcomer)

    assert (join.role, join.last_seq, join.muted_until) == ("participant", 0, None)
    assert Room.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize("room_id", [0, 999_999, 2**63])
def test_room_join_unknown_rooms_are_not_found(newcomer, room_id):
    with pytest.raises(NotFound):
        access.room_join(room_id=room_id, user=newcomer)


def test_room_join_is_one_statement(
    session, volunteer, newcomer, django_assert_num_queries
):
    send(session, volunteer)
    with django_assert_num_queries(1):
        access.room_join(room_id=session.pk, user=newcomer)
