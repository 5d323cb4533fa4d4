"""A club session with its cast: host (the volunteer), a confirmed newcomer,
a waitlisted user, and a member of another session."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from clubs.models import Club, Registration, Session
from realtime import services
from realtime.models import Room
from tests.factories import UserFactory


def make_session(*, hosts=(), starts_in_days: int = 1) -> Session:
    club = Club.objects.create(
        name=f"Club {uuid.uuid4().hex[:6]}",
        level_min="A1",
        level_max="B2",
        weekday=0,
        start_time="18:00",
    )
    club.hosts.set(hosts)
    starts = timezone.now() + timedelta(days=starts_in_days)
    return Session.objects.create(
        club=club,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        level="A2",
        capacity=10,
        topic="Weekend plans",
    )


def register(session: Session, user, status: str = "confirmed") -> Registration:
    return Registration.objects.create(
        session=session,
        user=user,
        status=status,
        waitlist_position=1 if status == "waitlisted" else None,
    )


def send_unheard(session, user, body: str) -> None:
    """``send``, with the broadcast lost on the way (the channel layer delivers
    at most once): only a fill from the database can bring it to a socket."""
    from unittest import mock

    with mock.patch("realtime.events._group_send"):
        send(session, user, body)


def send(session, user, body: str = "Labdien!", **kwargs):
    Room.objects.get_or_create(session=session)
    message, _created = services.message_send(
        room_id=session.pk,
        user=user,
        body=body,
        client_msg_id=kwargs.pop("client_msg_id", uuid.uuid4()),
        **kwargs,
    )
    return message


@pytest.fixture
def session(volunteer, newcomer):
    session = make_session(hosts=[volunteer])
    register(session, newcomer)
    return session


@pytest.fixture
def waitlisted(session):
    user = UserFactory(display_name="Waiting")
    register(session, user, "waitlisted")
    return user


@pytest.fixture
def other_member(db):
    """A confirmed member of a different session."""
    user = UserFactory(display_name="Elsewhere")
    register(make_session(), user)
    return user


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    # Each test runs in its own event loop; layers hold loop-bound queues.
    from channels.layers import channel_layers

    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


@pytest.fixture
async def ws():
    from asgiref.sync import sync_to_async
    from django.db import connections

    from realtime.db import close_connections
    from tests.realtime.ws import Connector

    connector = Connector()
    yield connector
    await connector.close_all()
    # Consumers keep connections on their DB lanes (realtime/db.py); let
    # the test database go at the end of the run.
    await close_connections()
    await sync_to_async(connections.close_all)()  # the tests' own ORM calls


@pytest.fixture
def person(request):
    """One of the cast by fixture name (parametrize with indirect=True)."""
    return request.getfixturevalue(request.param)
