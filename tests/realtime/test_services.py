import uuid

import pytest

from backend.api.errors import ApiError
from realtime import access, services
from realtime.diff import word_diff
from realtime.models import Message, MessageReport, Mute, ReadMarker
from tests.realtime.conftest import make_session, send

pytestmark = pytest.mark.django_db


def test_seq_counts_up_by_one_per_room(session, newcomer, volunteer):
    other = make_session(hosts=[volunteer])
    seqs = [send(session, newcomer).seq for _ in range(3)]
    assert seqs == [1, 2, 3]
    assert send(other, volunteer).seq == 1
    session.room.refresh_from_db()
    assert session.room.last_seq == 3


def test_same_client_msg_id_stores_nothing_new(session, newcomer):
    client_msg_id = uuid.uuid4()
    first = send(session, newcomer, "once", client_msg_id=client_msg_id)
    again, created = services.message_send(
        room_id=session.pk, user=newcomer, body="once", client_msg_id=client_msg_id
    )
    assert created is False
    assert again.pk == first.pk
    assert Message.objects.count() == 1
    # A different author may reuse the id: it is unique per author.
    assert send(session, session.club.hosts.get(), client_msg_id=client_msg_id).seq == 2


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_bad_bodies_store_nothing(session, newcomer, body):
    with pytest.raises(ApiError) as error:
        send(session, newcomer, body)
    assert error.value.code == "invalid"
    assert not Message.objects.exists()


def test_reply_must_be_in_the_same_room(session, newcomer, volunteer):
    elsewhere = send(make_session(hosts=[volunteer]), volunteer)
    with pytest.raises(ApiError) as error:
        send(session, newcomer, reply_to_id=elsewhere.pk)
    assert error.value.fields == {"reply_to": [error.value.fields["reply_to"][0]]}
    mine = send(session, newcomer)
    assert send(session, newcomer, reply_to_id=mine.pk).reply_to_id == mine.pk


def test_muted_member_cannot_send_until_unmuted(session, newcomer, volunteer):
    room, role = access.room_access(room_id=session.pk, user=volunteer)
    services.member_mute(
        room=room, actor=volunteer, role=role, user_id=newcomer.pk, minutes=5
    )
    with pytest.raises(ApiError) as error:
        send(session, newcomer)
    assert error.value.code == "muted"
    assert 0 < error.value.extra["retry_after"] <= 300
    services.member_mute(
        room=room, actor=volunteer, role=role, user_id=newcomer.pk, minutes=0
    )
    assert send(session, newcomer).seq == 1
    assert not Mute.objects.exists()


@pytest.mark.parametrize(
    ("actor", "target", "minutes", "code"),
    [
        ("newcomer", "newcomer", 5, "permission_denied"),
        ("volunteer", "volunteer", 5, "permission_denied"),
        ("volunteer", "staff", 5, "permission_denied"),
        ("volunteer", "stranger", 5, "not_found"),
        ("volunteer", "newcomer", -1, "invalid"),
        ("volunteer", "newcomer", 10081, "invalid"),
    ],
)
def test_mute_rules(request, session, actor, target, minutes, code):
    actor = request.getfixturevalue(actor)
    target = request.getfixturevalue(target)
    room, role = access.room_access(room_id=session.pk, user=actor)
    with pytest.raises(ApiError) as error:
        services.member_mute(
            room=room, actor=actor, role=role, user_id=target.pk, minutes=minutes
        )
    assert error.value.code == code
    assert not Mute.objects.exists()


def test_delete_own_or_as_host(session, newcomer, volunteer, staff):
    mine = send(session, newcomer)
    theirs = send(session, volunteer)
    with pytest.raises(ApiError) as error:
        services.message_delete(
            room_id=session.pk, message_id=theirs.pk, user=newcomer, role="participant"
        )
    assert error.value.code == "permission_denied"
    _, changed = services.message_delete(
        room_id=session.pk, message_id=mine.pk, user=newcomer, role="participant"
    )
    assert changed
    _, changed = services.message_delete(
        room_id=session.pk, message_id=mine.pk, user=volunteer, role="host"
    )
    assert not changed
    _, changed = services.message_delete(
        room_id=session.pk, message_id=theirs.pk, user=staff, role="staff"
    )
    assert changed


def test_correction_stores_word_diff(session, newcomer, volunteer):
    message = send(session, newcomer, "Man ir divi kaķis")
    correction, _ = services.message_correct(
        room_id=session.pk,
        message_id=message.pk,
        user=volunteer,
        body="Man ir divi kaķi",
    )
    assert correction.diff == [
        {"op": "equal", "text": "Man ir divi "},
        {"op": "delete", "text": "kaķis"},
        {"op": "insert", "text": "kaķi"},
    ]


@pytest.mark.parametrize(
    ("original", "corrected", "expected"),
    [
        ("a b c", "a b c d", [("equal", "a b c"), ("insert", " d")]),
        ("a b c", "a c", [("equal", "a "), ("delete", "b "), ("equal", "c")]),
        ("", "x", [("insert", "x")]),
    ],
)
def test_word_diff(original, corrected, expected):
    assert [(r["op"], r["text"]) for r in word_diff(original, corrected)] == expected


def test_correction_of_deleted_or_unchanged_message_is_refused(
    session, newcomer, volunteer
):
    message = send(session, newcomer, "same")
    with pytest.raises(ApiError) as error:
        services.message_correct(
            room_id=session.pk, message_id=message.pk, user=volunteer, body="same"
        )
    assert error.value.code == "invalid"
    services.message_delete(
        room_id=session.pk, message_id=message.pk, user=newcomer, role="participant"
    )
    with pytest.raises(ApiError) as error:
        services.message_correct(
            room_id=session.pk, message_id=message.pk, user=volunteer, body="new"
        )
    assert error.value.code == "message_deleted"


def test_message_of_another_room_is_not_found(session, newcomer, volunteer):
    elsewhere = send(make_session(hosts=[volunteer]), volunteer)
    for call in (
        lambda: services.message_delete(
            room_id=session.pk, message_id=elsewhere.pk, user=volunteer, role="host"
        ),
        lambda: services.message_correct(
            room_id=session.pk, message_id=elsewhere.pk, user=newcomer, body="x"
        ),
        lambda: services.message_report(
            room_id=session.pk, message_id=elsewhere.pk, user=newcomer, reason="x"
        ),
    ):
        with pytest.raises(ApiError) as error:
            call()
        assert error.value.code == "not_found"


def test_reporting_twice_is_one_report(session, newcomer, volunteer):
    message = send(session, volunteer)
    _, created = services.message_report(
        room_id=session.pk, message_id=message.pk, user=newcomer, reason="spam"
    )
    _, again = services.message_report(
        room_id=session.pk, message_id=message.pk, user=newcomer, reason="spam!"
    )
    assert (created, again) == (True, False)
    assert MessageReport.objects.count() == 1


def test_read_marker_moves_forward_only_and_stops_at_last_seq(session, newcomer):
    for _ in range(3):
        send(session, newcomer)
    services.room_mark_read(room_id=session.pk, user=newcomer, seq=2)
    services.room_mark_read(room_id=session.pk, user=newcomer, seq=1)
    assert ReadMarker.objects.get().last_read_seq == 2
    services.room_mark_read(room_id=session.pk, user=newcomer, seq=99)
    assert ReadMarker.objects.get().last_read_seq == 3


@pytest.mark.parametrize(
    ("user_fixture", "role"),
    [
        ("newcomer", "participant"),
        ("volunteer", "host"),
        ("staff", "staff"),
        ("waitlisted", None),
        ("stranger", None),
        ("other_member", None),
    ],
)
def test_room_access(request, session, user_fixture, role):
    user = request.getfixturevalue(user_fixture)
    if role is None:
        with pytest.raises(ApiError) as error:
            access.room_access(room_id=session.pk, user=user)
        assert error.value.code == "permission_denied"
    else:
        assert access.room_access(room_id=session.pk, user=user)[1] == role
