"""The privacy notice page, and sign-up recording that it was shown."""

import pytest
from rest_framework.test import APIClient

from backend.accounts.models import User
from privacy.notice import NOTICE_VERSION

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "title", "phrase"),
    [
        ("en", "Privacy notice", "groups of fewer than 5 people are not broken down"),
        ("lv", "Paziņojums par privātumu", "mazāk nekā 5 cilvēki"),
        ("ru", "Уведомление о конфиденциальности", "меньше 5 человек"),
        ("uk", "Повідомлення про конфіденційність", "менш ніж 5 людей"),
    ],
)
def test_the_notice_is_served_in_every_interface_language(client, lang, title, phrase):
    response = client.get("/privacy/", {"lang": lang})

    assert response.status_code == 200
    assert response["Content-Language"] == lang
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert phrase in page
    assert "privacy@runa.example.org" in page
    assert NOTICE_VERSION in page


def test_the_notice_follows_the_browser_and_the_settings(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "dati@riga.example.lv"
    settings.CHAT_RETENTION_DAYS = 90
    response = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="lv")
    page = response.content.decode()
    assert "Paziņojums par privātumu" in page
    assert "dati@riga.example.lv" in page
    assert "90 dienas" in page
    # Every language is one link away.
    for code in ("en", "lv", "ru", "uk"):
        assert f'href="?lang={code}"' in page


def test_an_unknown_language_falls_back_and_posting_is_refused(client):
    assert client.get("/privacy/", {"lang": "xx"}).status_code == 200
    assert client.post("/privacy/").status_code == 405


@pytest.mark.parametrize("client_kind", ["app", "browser"])
def test_signup_records_the_notice_when_the_client_says_it_was_shown(client_kind):
    client = APIClient()
    if client_kind == "browser":
        client = APIClient(enforce_csrf_checks=False)
    response = client.post(
        f"/_allauth/{client_kind}/v1/auth/signup",
        {
            "email": "nadia@example.org",
            "password": "correct-Horse-battery-9",
            "privacy_notice_shown": True,
        },
        format="json",
    )
    # Verification is mandatory: the account exists, waiting for the link.
    assert response.status_code == 401, response.content
    assert "verify_email" in str(response.json()["data"]["flows"])
    user = User.objects.get(email="nadia@example.org")
    assert user.privacy_notice_version == NOTICE_VERSION
    assert user.privacy_notice_shown_at is not None


def test_signup_without_the_flag_records_nothing():
    response = APIClient().post(
        "/_allauth/app/v1/auth/signup",
        {"email": "ivan@example.org", "password": "correct-Horse-battery-9"},
        format="json",
    )
    assert response.status_code == 401
    user = User.objects.get(email="ivan@example.org")
    assert (user.privacy_notice_version, user.privacy_notice_shown_at) == ("", None)
