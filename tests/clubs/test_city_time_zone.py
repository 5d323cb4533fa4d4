"""A new city sets TIME_ZONE (docs/replicate.md): its clubs meet at their local
time there and its new accounts keep that zone, instead of Riga's."""

from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from backend.accounts.models import User
from clubs.models import Club, Session
from tests.clubs.test_clubs_api import CLUBS, VALID
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WARSAW = "Europe/Warsaw"


def test_a_club_meets_at_its_local_time_in_the_citys_zone(
    settings, client_for, volunteer
):
    settings.TIME_ZONE = WARSAW
    lublin = {**VALID, "city": "lublin", "language": "pl", "address": "Rynek 1, Lublin"}

    response = client_for(volunteer).post(CLUBS, lublin)

    assert response.status_code == 201, response.json()
    assert response.json()["time_zone"] == WARSAW
    club = Club.objects.get(pk=response.json()["id"])
    assert club.time_zone == WARSAW
    starts = [s.starts_at.astimezone(ZoneInfo(WARSAW)) for s in Session.objects.all()]
    assert starts
    # 18:00 in Lublin (Riga's zone would have put them at 17:00 there).
    assert {(s.weekday(), s.hour, s.minute) for s in starts} == {(2, 18, 0)}


def test_without_a_city_zone_set_clubs_are_in_riga(client_for, volunteer):
    response = client_for(volunteer).post(CLUBS, VALID)
    assert response.json()["time_zone"] == "Europe/Riga"


def test_a_new_account_keeps_the_citys_zone(settings):
    settings.TIME_ZONE = WARSAW
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    client = APIClient()

    response = client.post(
        "/_allauth/app/v1/auth/signup",
        {"email": "ola@example.org", "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert User.objects.get(email="ola@example.org").time_zone == WARSAW
    client.credentials(HTTP_X_SESSION_TOKEN=response.json()["meta"]["session_token"])
    assert client.get("/api/v1/me/").json()["time_zone"] == WARSAW


def test_the_host_form_shows_the_citys_zone(settings, client, volunteer):
    settings.TIME_ZONE = WARSAW
    client.force_login(volunteer)
    html = client.get("/host/clubs/new/").content.decode()
    assert WARSAW in html
    assert "Europe/Riga" not in html
