from datetime import time

import pytest
from django.core import mail

from clubs.models import Club, CoHostInvitation, Session
from tests.clubs.factories import ClubFactory
from tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

CLUBS = "/api/v1/clubs/"

VALID = {
    "name": "Sarunu klubs",
    "description": "Runājam par ikdienu.",
    "language": "lv",
    "level_min": "A1",
    "level_max": "A2",
    "city": "riga",
    "address": "Brīvības iela 49/53, Rīga",
    "weekday": 2,
    "start_time": "18:00",
    "duration_minutes": 90,
    "capacity": 10,
}


def test_approved_volunteer_creates_club_and_hosts_it(client_for, volunteer):
    response = client_for(volunteer).post(CLUBS, VALID)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["start_time"] == "18:00"
    assert body["weekday"] == 2
    assert body["hosts"] == [{"id": volunteer.pk, "display_name": "Jānis"}]
    assert body["active"] is True
    club = Club.objects.get(pk=body["id"])
    assert club.start_time == time(18, 0)
    # The coming weeks' sessions exist at once.
    assert Session.objects.filter(club=club).count() in (3, 4)


def test_staff_may_create_a_club_for_named_hosts(client_for, staff, volunteer):
    response = client_for(staff).post(CLUBS, {**VALID, "hosts": [volunteer.pk]})

    assert response.status_code == 201, response.json()
    assert [h["id"] for h in response.json()["hosts"]] == [volunteer.pk]


def test_co_hosts_named_at_creation_are_invited_not_added(client_for, volunteer):
    co_host = VolunteerFactory(display_name="Anna")
    response = client_for(volunteer).post(CLUBS, {**VALID, "hosts": [co_host.pk]})

    assert response.status_code == 201
    assert [h["id"] for h in response.json()["hosts"]] == [volunteer.pk]
    invitation = CoHostInvitation.objects.get()
    assert (invitation.invitee, invitation.invited_by) == (co_host, volunteer)
    assert invitation.status == "pending"
    # And told, as any invitee (clubs.services.notifications).
    [message] = mail.outbox
    assert message.to == [co_host.email]
    assert "invites you to host the club" in message.body


@pytest.mark.parametrize("who", ["newcomer", "pending_volunteer", "stranger"])
def test_non_volunteers_cannot_create_a_club(client_for, request, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post(CLUBS, VALID)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Club.objects.exists()


def test_anonymous_cannot_list_clubs(api_client):
    assert api_client.get(CLUBS).status_code == 401


BAD_INPUT = [
    ({"start_time": "25:00"}, "start_time"),
    ({"start_time": "18:60"}, "start_time"),
    ({"start_time": "6pm"}, "start_time"),
    ({"start_time": "18:00:00"}, "start_time"),
    ({"start_time": 1800}, "start_time"),
    ({"weekday": 7}, "weekday"),
    ({"weekday": -1}, "weekday"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": -3}, "capacity"),
    ({"capacity": 100000}, "capacity"),
    ({"capacity": "many"}, "capacity"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"level_min": "Z9"}, "level_min"),
    ({"level_max": "B3"}, "level_max"),
    ({"level_min": "B2", "level_max": "A1"}, "level_max"),
    ({"language": "latvian"}, "language"),
    ({"name": ""}, "name"),
    ({"name": "x" * 10_000}, "name"),
    ({"description": "x" * 100_000}, "description"),
    ({"address": ""}, "address"),
    ({"online": True, "address": ""}, "online_url"),
    ({"online": True, "online_url": "javascript:alert(1)"}, "online_url"),
    ({"city": "Rīga / centrs"}, "city"),
    ({"hosts": [10**30]}, "hosts.0"),
    ({"hosts": "everyone"}, "hosts"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INPUT)
def test_bad_club_input_is_400_and_creates_nothing(
    client_for, volunteer, change, field
):
    response = client_for(volunteer).post(CLUBS, {**VALID, **change})

    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"], body
    assert not Club.objects.exists()


def test_hosts_must_be_approved_volunteers(client_for, volunteer, newcomer):
    response = client_for(volunteer).post(CLUBS, {**VALID, "hosts": [newcomer.pk]})

    assert response.status_code == 400
    assert "hosts" in response.json()["fields"]


def test_list_and_detail_show_public_fields_only(client_for, newcomer, club):
    club.online_url = "https://meet.example.org/secret"
    club.save()
    response = client_for(newcomer).get(CLUBS)

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["id"] == club.pk
    assert item["online_url"] is None
    assert set(item["hosts"][0]) == {"id", "display_name"}  # no e-mail
    detail = client_for(newcomer).get(f"{CLUBS}{club.pk}/").json()
    assert detail == item


def test_host_sees_club_online_link(client_for, volunteer, club):
    club.online_url = "https://meet.example.org/secret"
    club.save()
    body = client_for(volunteer).get(f"{CLUBS}{club.pk}/").json()
    assert body["online_url"] == "https://meet.example.org/secret"


def test_list_filters(client_for, newcomer):
    riga = ClubFactory(city="riga", level_min="A1", level_max="A2")
    ClubFactory(city="liepaja", level_min="B1", level_max="B2")
    ClubFactory(city="riga", active=False)
    client = client_for(newcomer)

    def ids(query: str) -> list[int]:
        response = client.get(CLUBS + query)
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    assert ids("?city=riga") == [riga.pk]
    assert ids("?level=A2") == [riga.pk]
    assert len(ids("")) == 2
    assert len(ids("?active=false")) == 1


@pytest.mark.parametrize(
    "query", ["?level=Q1", "?online=maybe", "?language=xyz", "?active=2"]
)
def test_bad_filters_are_400(client_for, newcomer, query):
    response = client_for(newcomer).get(CLUBS + query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_unknown_club_is_404(client_for, newcomer):
    assert client_for(newcomer).get(f"{CLUBS}999999/").status_code == 404
    huge = client_for(newcomer).get(f"{CLUBS}{10**30}/")
    assert huge.status_code == 404
    assert huge.json()["code"] == "not_found"


def test_host_changes_club(client_for, volunteer, club):
    response = client_for(volunteer).patch(
        f"{CLUBS}{club.pk}/", {"name": "Jauns nosaukums", "capacity": 12}
    )

    assert response.status_code == 200, response.json()
    club.refresh_from_db()
    assert (club.name, club.capacity) == ("Jauns nosaukums", 12)


def test_staff_changes_any_club(client_for, staff, club):
    response = client_for(staff).patch(f"{CLUBS}{club.pk}/", {"active": False})
    assert response.status_code == 200
    assert response.json()["active"] is False


@pytest.mark.parametrize("who", ["newcomer", "stranger", "pending_volunteer"])
def test_non_hosts_cannot_change_club(client_for, request, club, who):
    response = client_for(request.getfixturevalue(who)).patch(
        f"{CLUBS}{club.pk}/", {"name": "Hacked"}
    )
    assert response.status_code == 403
    club.refresh_from_db()
    assert club.name != "Hacked"


def test_host_of_club_a_cannot_touch_club_b(client_for, volunteer, club):
    other = ClubFactory()
    response = client_for(volunteer).patch(f"{CLUBS}{other.pk}/", {"name": "Mine"})

    assert response.status_code == 403
    assert response.json()["code"] == "not_host"


@pytest.mark.parametrize(("change", "field"), BAD_INPUT[:15])
def test_bad_patch_is_400_and_changes_nothing(
    client_for, volunteer, club, change, field
):
    before = Club.objects.filter(pk=club.pk).values().get()
    response = client_for(volunteer).patch(f"{CLUBS}{club.pk}/", change)

    assert response.status_code == 400
    assert Club.objects.filter(pk=club.pk).values().get() == before


def test_removing_a_co_host_closes_their_rooms(client_for, volunteer, revoked):
    co_host = VolunteerFactory()
    club = ClubFactory(hosts=[volunteer, co_host])
    from tests.clubs.factories import SessionFactory

    session = SessionFactory(club=club)
    response = client_for(volunteer).patch(
        f"{CLUBS}{club.pk}/", {"hosts": [volunteer.pk]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert revoked == [(session.pk, co_host.pk)]


def test_a_club_keeps_at_least_one_host(client_for, volunteer, club):
    response = client_for(volunteer).patch(
        f"{CLUBS}{club.pk}/", {"hosts": []}, format="json"
    )
    assert response.status_code == 400
    assert club.hosts.count() == 1


def test_mine_lists_clubs_i_host(client_for, volunteer, club):
    ClubFactory(hosts=[UserFactory()])
    response = client_for(volunteer).get(CLUBS + "?mine=true")
    assert [c["id"] for c in response.json()["results"]] == [club.pk]
