"""GET /api/v1/me/export/: every kind of my data, nothing of anyone else's."""

import json
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone
from model_bakery import baker

from backend.accounts.models import User
from clubs.models import Registration
from privacy.export import EXPORTED, NOT_PERSONAL, PROJECT_APPS
from privacy.serializers import ExportSerializer
from realtime.models import Message, Room
from tests.clubs.factories import SessionFactory
from tests.exercises.factories import ExerciseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/me/export/"


def project_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config.label in PROJECT_APPS
    ]


def label(model) -> str:
    return model._meta.label_lower


# Values the database's constraints need (baker fills the rest at random).
VALID = {
    "clubs.registration": {"status": "attended", "waitlist_position": None},
    "clubs.feedback": {"rating": 4},
    "exercises.placementtest": {"status": "finished"},
    "accounts.volunteerapplication": {"status": "rejected"},
}


class World:
    """Shared objects every person's rows can point at."""

    def __init__(self) -> None:
        self.session = SessionFactory(
            starts_at=timezone.now() - timedelta(days=3),
            ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
        )
        self.room = Room.objects.create(session=self.session)
        self.exercise = ExerciseFactory()
        self.seq = 0
        self.made: dict[tuple[str, int], models.Model] = {}

    def shared(self, model) -> object | None:
        return {
            "clubs.session": self.session,
            "clubs.club": self.session.club,
            "realtime.room": self.room,
            "exercises.exercise": self.exercise,
        }.get(label(model))


def fill(model, *, person: User, world: World) -> models.Model:
    """One row of ``model`` that belongs to ``person`` (every user link is them)."""
    if model is User:
        return person
    key = (label(model), person.pk)
    if key in world.made:
        return world.made[key]
    values: dict = dict(VALID.get(label(model), {}))
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.name in values:
            continue
        if field.related_model is model:  # e.g. a reply to another message
            values[field.name] = None
        elif field.related_model is User:
            values[field.name] = person
        elif not field.one_to_one and world.shared(field.related_model) is not None:
            values[field.name] = world.shared(field.related_model)
        elif field.related_model in (Message, Registration):
            values[field.name] = fill(field.related_model, person=person, world=world)
    if model is Message:
        world.seq += 1
        values.update(seq=world.seq, deleted_by=None)
    if model is Registration:
        values["check_in_code"] = uuid.uuid4().hex[:8].upper()
    world.made[key] = baker.make(model, **values)
    return world.made[key]


def rows_in(document: dict, key: str) -> list[dict]:
    section = document[key]
    if section is None:
        return []
    return section if isinstance(section, list) else [section]


def test_every_model_is_exported_or_declared_not_personal():
    undeclared = [
        label(model)
        for model in project_models()
        if label(model) not in EXPORTED and label(model) not in NOT_PERSONAL
    ]
    assert not undeclared, (
        f"add these models to privacy.export EXPORTED (and the export) or to "
        f"NOT_PERSONAL with the reason: {undeclared}"
    )
    stale = (set(EXPORTED) | set(NOT_PERSONAL)) - {label(m) for m in project_models()}
    assert not stale


def test_export_holds_a_row_of_every_personal_model_and_none_of_anothers(
    api_client_for,
):
    world = World()
    me = UserFactory(display_name="Olena", email="olena@example.org")
    other = UserFactory(display_name="Taras", email="taras.secret@example.org")
    world.session.club.hosts.add(me)
    mine, theirs = {}, {}
    for model in project_models():
        if label(model) in EXPORTED:
            mine[label(model)] = fill(model, person=me, world=world)
            theirs[label(model)] = fill(model, person=other, world=world)

    # As a host I invited the other person to co-host.
    baker.make(
        "clubs.CoHostInvitation",
        club=world.session.club,
        invitee=other,
        invited_by=me,
        status="declined",
    )
    # As a host I muted the other person: they appear by display name only.
    baker.make(
        "realtime.Mute",
        room=Room.objects.create(session=SessionFactory()),
        user=other,
        muted_by=me,
        until=timezone.now(),
    )

    response = api_client_for(me).get(EXPORT)

    assert response.status_code == 200, response.content
    document = response.json()
    assert document["mutes_imposed"][0]["member_name"] == "Taras"
    assert document["cohost_invitations_sent"][0]["invitee_name"] == "Taras"
    assert (document["format"], document["version"]) == ("runa-export", 1)
    for model_label, key in EXPORTED.items():
        ids = {row["id"] for row in rows_in(document, key)}
        assert mine[model_label].pk in ids, f"{model_label} missing from {key}"
        assert theirs[model_label].pk not in ids, f"{model_label}: another's row"
    text = json.dumps(document, ensure_ascii=False)
    assert "taras.secret@example.org" not in text
    assert other.email not in text
    assert_shape(document, ExportSerializer())


def assert_shape(value, serializer, path="export") -> None:
    """The document has exactly the keys the OpenAPI serializers document."""
    from rest_framework import serializers

    if isinstance(serializer, serializers.ListSerializer):
        assert isinstance(value, list), path
        assert value, f"{path} is empty: the fill left a section untested"
        for index, item in enumerate(value):
            assert_shape(item, serializer.child, f"{path}[{index}]")
    elif isinstance(serializer, serializers.Serializer):
        if value is None and serializer.allow_null:
            return
        assert set(value) == set(serializer.fields), path
        for name, field in serializer.fields.items():
            assert_shape(value[name], field, f"{path}.{name}")


def test_others_appear_by_display_name_only(api_client_for, newcomer, volunteer):
    world = World()
    world.session.club.hosts.set([volunteer])
    Registration.objects.create(session=world.session, user=newcomer, status="attended")
    theirs = Message.objects.create(
        room=world.room,
        seq=1,
        author=volunteer,
        client_msg_id=uuid.uuid4(),
        body="Their own private sentence",
    )
    mine = Message.objects.create(
        room=world.room,
        seq=2,
        author=newcomer,
        client_msg_id=uuid.uuid4(),
        body="Es mācos latviešu valodu",
    )
    baker.make("realtime.Correction", message=theirs, author=newcomer, body="Fix")
    baker.make("realtime.Correction", message=mine, author=volunteer, body="Es mācos!")
    baker.make("realtime.MessageReport", message=theirs, reporter=newcomer)
    baker.make(
        "realtime.Mute",
        room=world.room,
        user=newcomer,
        muted_by=volunteer,
        until=timezone.now() + timedelta(minutes=5),
    )

    document = api_client_for(newcomer).get(EXPORT).json()

    text = json.dumps(document, ensure_ascii=False)
    assert "Their own private sentence" not in text
    assert volunteer.email not in text
    assert document["messages"][0]["body"] == "Es mācos latviešu valodu"
    assert document["corrections_received"][0]["corrector_name"] == "Jānis"
    assert document["corrections_received"][0]["body"] == "Es mācos!"
    assert document["corrections_made"][0]["message_author_name"] == "Jānis"
    assert document["mutes"][0]["muted_by_name"] == "Jānis"
    assert document["registrations"][0]["session"]["club_name"] == (
        world.session.club.name
    )
    assert "user_id" not in text


def test_export_is_a_download_and_its_query_count_does_not_grow(
    api_client_for, newcomer, django_assert_max_num_queries
):
    world = World()
    for seq in range(1, 31):
        baker.make("exercises.Attempt", user=newcomer, exercise=world.exercise)
        baker.make(Message, room=world.room, seq=seq, author=newcomer, reply_to=None)
    client = api_client_for(newcomer)
    with django_assert_max_num_queries(30):
        response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(response.json()["attempts"]) == 30


def test_export_is_rate_limited(api_client_for, newcomer, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "export": "2/hour",
        },
    }
    client = api_client_for(newcomer)
    assert client.get(EXPORT).status_code == 200
    assert client.get(EXPORT).status_code == 200
    response = client.get(EXPORT)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    # Another person has their own allowance.
    assert api_client_for(UserFactory()).get(EXPORT).status_code == 200


def test_anonymous_cannot_export(api_client):
    response = api_client.get(EXPORT)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_there_is_no_way_to_export_someone_else(api_client_for, newcomer, stranger):
    # The export takes no id: whatever the query says, it is the caller's data.
    response = api_client_for(newcomer).get(EXPORT, {"user": stranger.pk})
    assert response.json()["profile"]["id"] == newcomer.pk
    assert api_client_for(newcomer).post(EXPORT).status_code == 405
