import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from realtime import services
from realtime.models import Message, MessageReport, Room
from realtime.payloads import message_payload
from realtime.serializers import MessageSerializer
from tests.factories import UserFactory
from tests.realtime.conftest import make_session, register, send

pytestmark = pytest.mark.django_db


def history(client, room_id, **params):
    return client.get(f"/api/v1/rooms/{room_id}/messages/", params)


# --- GET /api/v1/rooms/ -------------------------------------------------------


def test_rooms_list_shows_last_message_and_my_unread_count(
    api_client_for, session, newcomer, volunteer
):
    send(session, volunteer, "Sveiki!")
    send(session, newcomer, "Labdien")
    send(session, volunteer, "Kā iet?")
    services.room_mark_read(room_id=session.pk, user=newcomer, seq=1)

    response = api_client_for(newcomer).get("/api/v1/rooms/")

    assert response.status_code == 200
    (room,) = response.json()["results"]
    assert room["id"] == session.pk
    assert room["last_seq"] == 3
    # Read to 1; of 2 and 3 only 3 is someone else's.
    assert room["unread_count"] == 1
    assert room["last_message"]["body"] == "Kā iet?"
    assert room["last_message"]["author_name"] == "Jānis"
    assert room["club"]["name"] == session.club.name


def test_unread_counts_follow_each_rooms_own_read_marker(
    api_client_for, session, newcomer, volunteer
):
    # Message ids, room ids and seqs all differ here, so a count that joined
    # the read marker on the wrong column would show.
    other = make_session(hosts=[volunteer], starts_in_days=2)
    register(other, newcomer)
    for body in ("Viens", "Divi", "Trīs", "Četri"):
        send(other, volunteer, body)
    for body in ("Sveiki!", "Kā iet?"):
        send(session, volunteer, body)
    services.room_mark_read(room_id=other.pk, user=newcomer, seq=3)
    services.room_mark_read(room_id=session.pk, user=newcomer, seq=1)

    rooms = api_client_for(newcomer).get("/api/v1/rooms/").json()["results"]

    unread = {room["id"]: room["unread_count"] for room in rooms}
    assert unread == {other.pk: 1, session.pk: 1}


def test_rooms_list_of_a_room_without_messages(api_client_for, session, volunteer):
    (room,) = api_client_for(volunteer).get("/api/v1/rooms/").json()["results"]
    assert room["last_message"] is None
    assert room["unread_count"] == 0
    assert room["last_seq"] == 0


def test_rooms_list_hides_deleted_last_message_body(
    api_client_for, session, newcomer, volunteer
):
    message = send(session, volunteer, "oops")
    services.message_delete(
        room_id=session.pk, message_id=message.pk, user=volunteer, role="host"
    )
    (room,) = api_client_for(newcomer).get("/api/v1/rooms/").json()["results"]
    assert room["last_message"]["deleted"] is True
    assert room["last_message"]["body"] == ""
    assert room["unread_count"] == 0


def _preview_of(message) -> dict:
    payload = message_payload(
        Message.objects.select_related("author").get(pk=message.pk)
    )
    fields = ("id", "seq", "author_id", "author_name", "body", "created_at", "deleted")
    return {name: payload[name] for name in fields}


@pytest.mark.parametrize("language", ["en", "lv"])
def test_rooms_list_previews_are_the_last_messages_payloads(
    api_client_for, newcomer, volunteer, language
):
    """The previews are read in fixed SQL (realtime.room_states): every kind of
    author and message comes out as the message's own payload has it."""
    unnamed = UserFactory(display_name="")
    gone = UserFactory(display_name="Gone")
    last = {}
    for kind, author in (
        ("named", volunteer),
        ("unnamed", unnamed),
        ("deleted account", gone),
        ("no author", volunteer),
        ("deleted message", volunteer),
        ("whole second", volunteer),
    ):
        session = make_session(hosts=[volunteer])
        for user in (newcomer, unnamed, gone):
            register(session, user)
        send(session, newcomer, "Sveiki!")
        last[kind] = send(session, author, f"Pēdējā: {kind}")
    gone.deleted_at = timezone.now()
    gone.save(update_fields=["deleted_at"])
    Message.objects.filter(pk=last["no author"].pk).update(author=None)
    services.message_delete(
        room_id=last["deleted message"].room_id,
        message_id=last["deleted message"].pk,
        user=volunteer,
        role="host",
    )
    Message.objects.filter(pk=last["whole second"].pk).update(
        created_at=timezone.now().replace(microsecond=0)
    )

    newcomer.interface_language = language
    newcomer.save(update_fields=["interface_language"])
    response = api_client_for(newcomer).get("/api/v1/rooms/")

    previews = {r["id"]: r["last_message"] for r in response.json()["results"]}
    with translation.override(language):
        expected = {m.room_id: _preview_of(m) for m in last.values()}
    assert previews == expected
    member = "Member" if language == "en" else "Dalībnieks"
    assert previews[last["unnamed"].room_id]["author_name"] == f"{member} {unnamed.pk}"
    deleted_user = "Deleted user" if language == "en" else "Dzēsts lietotājs"
    assert previews[last["no author"].room_id]["author_name"] == deleted_user
    assert previews[last["deleted account"].room_id]["author_name"] == deleted_user
    assert previews[last["deleted message"].room_id]["body"] == ""
    assert "." not in previews[last["whole second"].room_id]["created_at"]


def test_rooms_list_excludes_rooms_i_may_not_join(
    api_client_for, session, waitlisted, stranger, other_member
):
    assert api_client_for(waitlisted).get("/api/v1/rooms/").json()["count"] == 0
    assert api_client_for(stranger).get("/api/v1/rooms/").json()["count"] == 0
    rooms = api_client_for(other_member).get("/api/v1/rooms/").json()["results"]
    assert [r["id"] for r in rooms] != [session.pk]
    assert len(rooms) == 1


def test_rooms_list_needs_authentication(api_client):
    response = api_client.get("/api/v1/rooms/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_rooms_list_query_count_does_not_grow_with_rooms(
    api_client_for, newcomer, volunteer
):
    client = api_client_for(newcomer)

    def add_room():
        session = make_session(hosts=[volunteer])
        register(session, newcomer)
        send(session, volunteer)

    def queries() -> int:
        client.get("/api/v1/rooms/")  # warms the session cache, if any
        with CaptureQueriesContext(connection) as context:
            response = client.get("/api/v1/rooms/")
        assert response.status_code == 200
        return len(context)

    add_room()
    one = queries()
    for _ in range(3):
        add_room()
    # auth (1 to 3, by session engine), count, page, the rooms' states
    assert queries() == one <= 6


def test_unread_count_skips_my_messages_and_others_deleted_ones(
    api_client_for, session, newcomer, volunteer, other_member
):
    register(session, other_member)
    first = send(session, volunteer, "Viens")
    services.room_mark_read(room_id=session.pk, user=newcomer, seq=first.seq)
    send(session, volunteer, "Divi")
    deleted = send(session, volunteer, "Trīs")
    send(session, newcomer, "Mans")
    send(session, other_member, "Četri")
    mine_deleted = send(session, newcomer, "Mans, izdzēsts")
    for message, user in ((deleted, volunteer), (mine_deleted, newcomer)):
        services.message_delete(
            room_id=session.pk, message_id=message.pk, user=user, role="host"
        )

    (room,) = api_client_for(newcomer).get("/api/v1/rooms/").json()["results"]

    # After my marker at 1: 2 and 5 count; 3 is deleted, 4 and 6 are mine.
    assert room["last_seq"] == 6
    assert room["unread_count"] == 2


def test_unread_count_without_a_read_marker_is_all_others_messages(
    api_client_for, session, newcomer, volunteer
):
    for body in ("Viens", "Divi", "Trīs"):
        send(session, volunteer, body)
    send(session, newcomer, "Mans")
    (room,) = api_client_for(newcomer).get("/api/v1/rooms/").json()["results"]
    assert room["unread_count"] == 3


def _bulk_messages(session, author, count: int) -> None:
    room, _created = Room.objects.get_or_create(session=session)
    Message.objects.bulk_create(
        Message(
            room=room,
            seq=room.last_seq + i,
            author=author,
            client_msg_id=uuid.uuid4(),
            body=f"Ziņa {i}",
        )
        for i in range(1, count + 1)
    )
    Room.objects.filter(pk=room.pk).update(last_seq=room.last_seq + count)


def test_rooms_list_queries_do_not_grow_with_history_and_count_skips_it(
    api_client_for, session, newcomer, volunteer
):
    client = api_client_for(newcomer)

    def queries() -> list[str]:
        client.get("/api/v1/rooms/")  # warms the session cache, if any
        with CaptureQueriesContext(connection) as context:
            response = client.get("/api/v1/rooms/")
        assert response.status_code == 200
        return [query["sql"] for query in context.captured_queries]

    _bulk_messages(session, volunteer, 5)
    small = queries()
    _bulk_messages(session, volunteer, 500)
    large = queries()

    assert len(large) == len(small)
    assert client.get("/api/v1/rooms/").json()["results"][0]["unread_count"] == 505
    # The pagination COUNT does not run the per-room message subqueries.
    (count_sql,) = [sql for sql in large if sql.upper().startswith("SELECT COUNT(")]
    assert Message._meta.db_table not in count_sql


# --- GET /api/v1/rooms/{id}/messages/ -----------------------------------------


@pytest.fixture
def ten_messages(session, newcomer, volunteer):
    for i in range(1, 11):
        send(session, newcomer if i % 2 else volunteer, f"message {i}")
    return session


@pytest.mark.parametrize(
    ("params", "seqs", "has_more"),
    [
        ({}, list(range(1, 11)), False),
        ({"limit": 3}, [8, 9, 10], True),
        ({"limit": 3, "before_seq": 8}, [5, 6, 7], True),
        ({"limit": 3, "before_seq": 3}, [1, 2], False),
        ({"after_seq": 7}, [8, 9, 10], False),
        ({"after_seq": 2, "limit": 2}, [3, 4], True),
        ({"after_seq": 2, "before_seq": 6}, [3, 4, 5], False),
        ({"after_seq": 10}, [], False),
    ],
)
def test_history_pages(api_client_for, ten_messages, newcomer, params, seqs, has_more):
    response = history(api_client_for(newcomer), ten_messages.pk, **params)
    assert response.status_code == 200
    body = response.json()
    assert [m["seq"] for m in body["results"]] == seqs
    assert body["has_more"] is has_more
    assert body["last_seq"] == 10


def test_history_keeps_tombstones_and_corrections(
    api_client_for, session, newcomer, volunteer
):
    kept = send(session, newcomer, "Es iet uz veikals")
    gone = send(session, newcomer, "secret")
    services.message_correct(
        room_id=session.pk, message_id=kept.pk, user=volunteer, body="Es eju uz veikalu"
    )
    services.message_delete(
        room_id=session.pk, message_id=gone.pk, user=newcomer, role="participant"
    )
    first, second = history(api_client_for(newcomer), session.pk).json()["results"]
    assert first["corrections"][0]["body"] == "Es eju uz veikalu"
    assert {"op": "insert", "text": "eju"} in first["corrections"][0]["diff"]
    assert second == {**second, "seq": 2, "deleted": True, "body": ""}


def test_history_message_shape_matches_the_documented_serializer(
    api_client_for, session, newcomer
):
    message = send(session, newcomer)
    (item,) = history(api_client_for(newcomer), session.pk).json()["results"]
    assert set(item) == set(MessageSerializer().fields)
    assert item["client_msg_id"] == str(message.client_msg_id)


@pytest.mark.parametrize(
    "user_fixture", ["newcomer", "volunteer", "staff"], ids=["member", "host", "staff"]
)
def test_history_open_to_members_hosts_and_staff(
    request, api_client_for, session, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    assert history(api_client_for(user), session.pk).status_code == 200


@pytest.mark.parametrize("user_fixture", ["waitlisted", "stranger", "other_member"])
def test_history_closed_to_non_members(request, api_client_for, session, user_fixture):
    user = request.getfixturevalue(user_fixture)
    response = history(api_client_for(user), session.pk)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_history_of_cancelled_registration_is_closed(api_client_for, session, newcomer):
    session.registrations.filter(user=newcomer).update(status="cancelled")
    assert history(api_client_for(newcomer), session.pk).status_code == 403


@pytest.mark.parametrize("room_id", [999999, 2**70])
def test_history_of_unknown_room_is_404(api_client_for, newcomer, room_id):
    response = history(api_client_for(newcomer), room_id)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_history_needs_authentication(api_client, session):
    assert history(api_client, session.pk).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"after_seq": -1}, "after_seq"),
        ({"after_seq": 2**80}, "after_seq"),
        ({"before_seq": 0}, "before_seq"),
        ({"before_seq": "1e9" * 1000}, "before_seq"),
    ],
)
def test_history_rejects_bad_parameters(
    api_client_for, session, newcomer, params, field
):
    response = history(api_client_for(newcomer), session.pk, **params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]


# --- GET /api/v1/reports/messages/ --------------------------------------------


@pytest.fixture
def report(session, newcomer, volunteer):
    message = send(session, volunteer, "rude words")
    report, _ = services.message_report(
        room_id=session.pk, message_id=message.pk, user=newcomer, reason="Rude"
    )
    return report


def test_staff_see_reported_messages(api_client_for, staff, report):
    response = api_client_for(staff).get("/api/v1/reports/messages/")
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["reason"] == "Rude"
    assert item["status"] == "open"
    assert item["message"]["body"] == "rude words"
    assert item["message"]["author"]["display_name"] == "Jānis"
    assert item["reporter"]["display_name"] == "Olena"
    assert "email" not in str(item)


def test_reports_filter_by_status(api_client_for, staff, report):
    client = api_client_for(staff)
    assert client.get("/api/v1/reports/messages/?status=resolved").json()["count"] == 0
    MessageReport.objects.update(status="resolved")
    assert client.get("/api/v1/reports/messages/?status=resolved").json()["count"] == 1


def test_reports_reject_unknown_status(api_client_for, staff):
    response = api_client_for(staff).get("/api/v1/reports/messages/?status=nope")
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


@pytest.mark.parametrize("user_fixture", ["newcomer", "volunteer"])
def test_reports_are_staff_only(request, api_client_for, report, user_fixture):
    user = request.getfixturevalue(user_fixture)
    response = api_client_for(user).get("/api/v1/reports/messages/")
    assert response.status_code == 403


def test_reports_need_authentication(api_client):
    assert api_client.get("/api/v1/reports/messages/").status_code == 401


def test_reports_query_count_does_not_grow(api_client_for, staff, session, volunteer):
    client = api_client_for(staff)

    def report():
        message = send(session, volunteer, "spam")
        services.message_report(
            room_id=session.pk, message_id=message.pk, user=staff, reason="spam"
        )

    def queries() -> int:
        client.get("/api/v1/reports/messages/")
        with CaptureQueriesContext(connection) as context:
            client.get("/api/v1/reports/messages/")
        return len(context)

    report()
    one = queries()
    report()
    report()
    assert queries() == one <= 5  # auth, count, page


def test_payload_and_serializer_agree(session, newcomer):
    message = send(session, newcomer, "hi", client_msg_id=uuid.uuid4())
    message = Message.objects.get(pk=message.pk)
    payload = message_payload(message)
    assert set(payload) == set(MessageSerializer().fields)
