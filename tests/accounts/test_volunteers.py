"""Becoming a volunteer host: apply, then city staff decide."""

import pytest

from backend.accounts.models import VolunteerApplication, VolunteerStatus

pytestmark = pytest.mark.django_db

APPLY = "/api/v1/me/volunteer-application/"
LIST = "/api/v1/volunteer-applications/"


def apply(client, **overrides):
    data = {"motivation": "I teach Latvian on weekends.", "languages": ["lv", "en"]}
    data.update(overrides)
    return client.post(APPLY, data, format="json")


def test_application_sets_status_pending_and_staff_approve_it(
    api_client_for, newcomer, staff
):
    response = apply(api_client_for(newcomer))
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    newcomer.refresh_from_db()
    assert newcomer.volunteer_status == VolunteerStatus.PENDING

    staff_client = api_client_for(staff)
    pending = staff_client.get(LIST, {"status": "pending"}).json()
    assert pending["count"] == 1
    application = pending["results"][0]
    assert application["user"]["id"] == newcomer.pk

    approved = staff_client.post(f"{LIST}{application['id']}/approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    me = api_client_for(newcomer).get("/api/v1/me/").json()
    assert me["volunteer_status"] == "approved"
    assert staff_client.get(LIST, {"status": "pending"}).json()["count"] == 0


def test_staff_can_reject(api_client_for, newcomer, staff):
    application_id = apply(api_client_for(newcomer)).json()["id"]
    response = api_client_for(staff).post(f"{LIST}{application_id}/reject/")
    assert response.json()["status"] == "rejected"
    newcomer.refresh_from_db()
    assert newcomer.volunteer_status == VolunteerStatus.REJECTED


def test_i_see_my_application_and_its_status(api_client_for, newcomer, staff):
    client = api_client_for(newcomer)
    missing = client.get(APPLY)
    assert missing.status_code == 404
    assert missing.json()["code"] == "no_application"

    application_id = apply(client).json()["id"]
    mine = client.get(APPLY)
    assert mine.status_code == 200
    assert mine.json()["id"] == application_id
    assert mine.json()["status"] == "pending"
    assert mine.json()["motivation"] == "I teach Latvian on weekends."

    api_client_for(staff).post(f"{LIST}{application_id}/reject/")
    assert client.get(APPLY).json()["status"] == "rejected"
    again = apply(client, motivation="I host a book club in Riga.").json()["id"]
    latest = client.get(APPLY).json()
    assert (latest["id"], latest["status"]) == (again, "pending")


def test_my_application_is_mine_only(api_client_for, api_client, newcomer, stranger):
    apply(api_client_for(stranger))
    assert api_client_for(newcomer).get(APPLY).status_code == 404
    assert api_client.get(APPLY).status_code == 401


def test_a_rejected_person_may_apply_again(api_client_for, newcomer, staff):
    first = apply(api_client_for(newcomer)).json()["id"]
    api_client_for(staff).post(f"{LIST}{first}/reject/")
    assert apply(api_client_for(newcomer)).status_code == 201


def test_newcomer_cannot_list_or_approve_applications(
    api_client_for, newcomer, stranger
):
    application_id = apply(api_client_for(stranger)).json()["id"]
    client = api_client_for(newcomer)
    assert client.get(LIST).status_code == 403
    response = client.post(f"{LIST}{application_id}/approve/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    stranger.refresh_from_db()
    assert stranger.volunteer_status == VolunteerStatus.PENDING


def test_applicant_cannot_approve_own_application(api_client_for, newcomer):
    client = api_client_for(newcomer)
    application_id = apply(client).json()["id"]
    assert client.post(f"{LIST}{application_id}/approve/").status_code == 403
    newcomer.refresh_from_db()
    assert newcomer.volunteer_status == VolunteerStatus.PENDING


def test_applying_twice_while_pending_is_a_conflict(api_client_for, newcomer):
    client = api_client_for(newcomer)
    apply(client)
    response = apply(client)
    assert response.status_code == 409
    assert response.json()["code"] == "application_pending"
    assert VolunteerApplication.objects.count() == 1


def test_approved_volunteer_cannot_apply_again(api_client_for, volunteer):
    response = apply(api_client_for(volunteer))
    assert response.status_code == 409
    assert response.json()["code"] == "already_volunteer"


def test_deciding_twice_is_a_conflict(api_client_for, newcomer, staff):
    application_id = apply(api_client_for(newcomer)).json()["id"]
    client = api_client_for(staff)
    client.post(f"{LIST}{application_id}/approve/")
    response = client.post(f"{LIST}{application_id}/reject/")
    assert response.status_code == 409
    assert response.json()["code"] == "already_decided"
    newcomer.refresh_from_db()
    assert newcomer.volunteer_status == VolunteerStatus.APPROVED


def test_unknown_application_is_404(api_client_for, staff):
    response = api_client_for(staff).post(f"{LIST}999999/approve/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"motivation": ""}, "motivation"),
        ({"motivation": "x" * 2001}, "motivation"),
        ({"languages": []}, "languages"),
        ({"languages": ["latvian"]}, "languages.0"),
        ({"languages": "lv"}, "languages"),
    ],
)
def test_bad_application_is_400_and_changes_nothing(
    api_client_for, newcomer, payload, field
):
    response = apply(api_client_for(newcomer), **payload)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]
    assert VolunteerApplication.objects.count() == 0
    newcomer.refresh_from_db()
    assert newcomer.volunteer_status == VolunteerStatus.NONE


def test_bad_status_filter_is_400(api_client_for, staff):
    response = api_client_for(staff).get(LIST, {"status": "maybe"})
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_application_list_runs_a_fixed_number_of_queries(api_client_for, staff):
    from tests.factories import UserFactory
    from tests.support import count_queries

    client = api_client_for(staff)
    apply(api_client_for(UserFactory()))
    client.get(LIST)  # the first call may warm the session cache (Redis)
    few = count_queries(lambda: client.get(LIST))
    for _ in range(14):
        apply(api_client_for(UserFactory()))
    many = count_queries(lambda: client.get(LIST))
    assert few == many
    assert many <= 5  # session (0-2), user, count, one page


def test_list_pages_follow_the_pagination_contract(api_client_for, staff):
    from tests.factories import UserFactory

    for _ in range(3):
        apply(api_client_for(UserFactory()))
    client = api_client_for(staff)
    first = client.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None

    beyond = client.get(LIST, {"page": 99})
    assert beyond.status_code == 404
    assert beyond.json()["code"] == "not_found"
