"""Co-hosts are invited and host a club only once they accept."""

import pytest
from django.core import mail

from clubs.models import CoHostInvitation
from tests.clubs.factories import ClubFactory
from tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

CLUBS = "/api/v1/clubs/"
MINE = "/api/v1/me/cohost-invitations/"


def invite(client, club, **body):
    return client.post(f"{CLUBS}{club.pk}/cohost-invitations/", body, format="json")


@pytest.fixture
def anna(db):
    return VolunteerFactory(display_name="Anna", email="anna@example.org")


def test_invited_volunteer_hosts_only_after_accepting(
    client_for, volunteer, club, anna
):
    response = invite(client_for(volunteer), club, user=anna.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending"
    assert body["club"] == {"id": club.pk, "name": club.name}
    assert body["invitee"] == {"id": anna.pk, "display_name": "Anna"}
    assert body["invited_by"]["id"] == volunteer.pk
    assert anna not in club.hosts.all()

    # Not yet a host: may not change the club.
    anna_client = client_for(anna)
    denied = anna_client.patch(f"{CLUBS}{club.pk}/", {"name": "Mine"}, format="json")
    assert denied.status_code == 403

    listed = anna_client.get(MINE).json()
    assert [item["id"] for item in listed["results"]] == [body["id"]]
    accepted = anna_client.post(f"{MINE}{body['id']}/accept/")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    assert anna in club.hosts.all()
    assert anna_client.get(MINE).json()["count"] == 0
    allowed = anna_client.patch(f"{CLUBS}{club.pk}/", {"name": "Ours"}, format="json")
    assert allowed.status_code == 200


def test_inviting_through_the_api_e_mails_the_invitee(
    client_for, volunteer, club, anna
):
    response = invite(client_for(volunteer), club, email="anna@example.org")
    assert response.status_code == 201, response.json()
    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert club.name in message.subject
    assert "Jānis invites you to host the club" in message.body
    assert "/host/" in message.body
    # A refused invitation sends nothing.
    again = invite(client_for(volunteer), club, email="anna@example.org")
    assert again.status_code == 409
    assert len(mail.outbox) == 1


def test_invite_by_email_and_decline(client_for, volunteer, club, anna):
    response = invite(client_for(volunteer), club, email="ANNA@example.org")
    assert response.status_code == 201, response.json()
    invitation_id = response.json()["id"]
    declined = client_for(anna).post(f"{MINE}{invitation_id}/decline/")
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert anna not in club.hosts.all()
    # Answered once: accepting afterwards is a conflict, nothing changes.
    again = client_for(anna).post(f"{MINE}{invitation_id}/accept/")
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"
    assert anna not in club.hosts.all()


def test_club_hosts_see_pending_invitations(client_for, volunteer, club, anna):
    invite(client_for(volunteer), club, user=anna.pk)
    listed = client_for(volunteer).get(f"{CLUBS}{club.pk}/cohost-invitations/")
    assert listed.status_code == 200
    assert [item["invitee"]["id"] for item in listed.json()["results"]] == [anna.pk]


def test_hosts_can_no_longer_add_a_co_host_directly(client_for, volunteer, club, anna):
    response = client_for(volunteer).patch(
        f"{CLUBS}{club.pk}/", {"hosts": [volunteer.pk, anna.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "hosts" in response.json()["fields"]
    assert list(club.hosts.all()) == [volunteer]


def test_staff_still_set_hosts_directly(client_for, staff, volunteer, club, anna):
    response = client_for(staff).patch(
        f"{CLUBS}{club.pk}/", {"hosts": [volunteer.pk, anna.pk]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert set(club.hosts.all()) == {volunteer, anna}


@pytest.mark.parametrize("who", ["newcomer", "stranger", "pending_volunteer"])
def test_only_hosts_and_staff_may_invite(client_for, request, club, anna, who):
    user = request.getfixturevalue(who)
    response = invite(client_for(user), club, user=anna.pk)
    assert response.status_code == 403
    assert (
        client_for(user).get(f"{CLUBS}{club.pk}/cohost-invitations/").status_code == 403
    )
    assert not CoHostInvitation.objects.exists()


def test_a_volunteer_who_does_not_host_the_club_may_not_invite(client_for, club, anna):
    outsider = VolunteerFactory()
    assert invite(client_for(outsider), club, user=anna.pk).status_code == 403
    assert not CoHostInvitation.objects.exists()


def test_staff_may_invite(client_for, staff, club, anna):
    assert invite(client_for(staff), club, user=anna.pk).status_code == 201


def test_only_the_invitee_may_answer(client_for, volunteer, club, anna, stranger):
    invitation_id = invite(client_for(volunteer), club, user=anna.pk).json()["id"]
    for user in (stranger, volunteer, VolunteerFactory()):
        for action in ("accept", "decline"):
            response = client_for(user).post(f"{MINE}{invitation_id}/{action}/")
            assert response.status_code == 404
        assert client_for(user).get(MINE).json()["count"] == 0
    assert CoHostInvitation.objects.get().status == "pending"
    assert anna not in club.hosts.all()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "user"),
        ({"user": 1, "email": "anna@example.org"}, "user"),
        ({"user": "anna"}, "user"),
        ({"user": 0}, "user"),
        ({"user": 10**30}, "user"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "nobody@example.org"}, "email"),
    ],
)
def test_bad_invitations_are_400_naming_the_field(
    client_for, volunteer, club, body, field
):
    response = invite(client_for(volunteer), club, **body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not CoHostInvitation.objects.exists()


@pytest.mark.parametrize("who", ["newcomer", "pending_volunteer"])
def test_only_approved_volunteers_can_be_invited(
    client_for, volunteer, club, request, who
):
    user = request.getfixturevalue(who)
    response = invite(client_for(volunteer), club, user=user.pk)
    assert response.status_code == 400
    assert response.json()["fields"]["user"]


def test_inactive_volunteers_cannot_be_invited(client_for, volunteer, club):
    gone = VolunteerFactory(is_active=False)
    assert invite(client_for(volunteer), club, user=gone.pk).status_code == 400


def test_inviting_twice_or_a_host_is_a_conflict(client_for, volunteer, club, anna):
    client = client_for(volunteer)
    assert invite(client, club, user=anna.pk).status_code == 201
    twice = invite(client, club, user=anna.pk)
    assert (twice.status_code, twice.json()["code"]) == (409, "already_invited")
    host = invite(client, club, user=volunteer.pk)
    assert (host.status_code, host.json()["code"]) == (409, "already_host")
    assert CoHostInvitation.objects.count() == 1


def test_a_volunteer_no_longer_approved_cannot_accept(
    client_for, volunteer, club, anna
):
    invitation_id = invite(client_for(volunteer), club, user=anna.pk).json()["id"]
    anna.volunteer_status = "rejected"
    anna.save(update_fields=["volunteer_status"])
    response = client_for(anna).post(f"{MINE}{invitation_id}/accept/")
    assert (response.status_code, response.json()["code"]) == (409, "not_volunteer")
    assert anna not in club.hosts.all()


def test_a_full_club_cannot_take_another_host(client_for, volunteer, anna):
    club = ClubFactory(hosts=[volunteer, *VolunteerFactory.create_batch(8)])
    invitation_id = invite(client_for(volunteer), club, user=anna.pk).json()["id"]
    club.hosts.add(VolunteerFactory())  # staff filled the last place meanwhile
    response = client_for(anna).post(f"{MINE}{invitation_id}/accept/")
    assert (response.status_code, response.json()["code"]) == (409, "too_many_hosts")
    assert club.hosts.count() == 10


def test_unknown_invitation_and_club_are_404(client_for, volunteer, anna):
    assert client_for(anna).post(f"{MINE}424242/accept/").status_code == 404
    assert (
        invite(
            client_for(volunteer), type("C", (), {"pk": 424242}), user=anna.pk
        ).status_code
        == 404
    )


def test_anonymous_callers_are_401(api_client, club):
    assert api_client.get(MINE).status_code == 401
    assert (
        api_client.post(f"{CLUBS}{club.pk}/cohost-invitations/", {}).status_code == 401
    )


def test_invitation_lists_do_not_grow_queries(
    client_for, volunteer, club, django_assert_max_num_queries
):
    for _ in range(5):
        invite(client_for(volunteer), club, user=VolunteerFactory().pk)
    client = client_for(volunteer)
    with django_assert_max_num_queries(8):
        response = client.get(f"{CLUBS}{club.pk}/cohost-invitations/")
    assert response.json()["count"] == 5
