"""Accounts cannot be used to mislead members or to probe who is registered."""

import importlib
import unicodedata

import pytest
from django.apps import apps as django_apps
from django.core import mail
from rest_framework.test import APIClient

from backend.accounts.models import User
from tests.api.test_error_contract import assert_error
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"


@pytest.mark.parametrize(
    "name",
    [
        "Jana\u202eevil",  # right-to-left override
        "Ja\u200bna",  # zero-width space
        "Ja\u200dna",  # zero-width joiner
        "\ufeffJana",  # byte order mark
        "Jana\x1b[31m",  # ESC: terminal colours in logs and admin exports
        "Jana\x00",
        "Jana\u2066x\u2069",  # isolates
    ],
)
def test_display_names_with_control_or_format_characters_are_refused(
    api_client_for, newcomer, name
):
    response = api_client_for(newcomer).patch(
        "/api/v1/me/", {"display_name": name}, format="json"
    )
    body = assert_error(response, 400, "invalid")
    assert list(body["fields"]) == ["display_name"]
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Olena"


@pytest.mark.parametrize(
    "name",
    [
        "Olga (city staff)",
        "STAFF",
        "Admin",
        "Аdmin",  # Cyrillic А
        "Ａｄｍｉｎ",  # full-width
        "a.d.m.i.n",
        "Olga [mod]",
        "Moderator Olga",
        "Runa Team",
        "Support",
        "Модератор",
        "Администратор",
        "Адміністратор",
        "Служба поддержки",
        "Pašvaldības darbiniece",
        "Obsługa Runa",
    ],
)
def test_display_names_posing_as_staff_are_refused(api_client_for, newcomer, name):
    response = api_client_for(newcomer).patch(
        "/api/v1/me/", {"display_name": name}, format="json"
    )
    body = assert_error(response, 400, "invalid")
    assert "role" in body["fields"]["display_name"][0]


@pytest.mark.parametrize(
    "name",
    ["Jānis", "Olena", "Мирослава", "Łucja", "Madison", "Stafford", "Admiral", ""],
)
def test_ordinary_display_names_are_accepted(api_client_for, newcomer, name):
    response = api_client_for(newcomer).patch(
        "/api/v1/me/", {"display_name": name}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == name


def test_display_names_are_stored_in_nfc(api_client_for, newcomer):
    decomposed = "Ja\u0304nis"  # a + combining macron
    response = api_client_for(newcomer).patch(
        "/api/v1/me/", {"display_name": decomposed}, format="json"
    )
    assert response.status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Jānis"
    assert unicodedata.is_normalized("NFC", newcomer.display_name)


def test_staff_may_say_they_are_staff(api_client_for, staff):
    response = api_client_for(staff).patch(
        "/api/v1/me/", {"display_name": "Ilze (city staff)"}, format="json"
    )
    assert response.status_code == 200, response.content


def _signup(client, prefix, email, password=PASSWORD):
    return client.post(
        f"{prefix}/auth/signup", {"email": email, "password": password}, format="json"
    )


def test_a_new_member_is_shown_as_member_n_never_their_address(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    response = _signup(APIClient(), APP, "olga.n1@example.org")
    assert response.status_code == 200, response.content
    user = User.objects.get(email="olga.n1@example.org")
    assert user.display_name == ""
    assert str(user.public_name) == f"Member {user.pk}"
    assert "olga" not in str(user.public_name)


def test_migration_clears_names_copied_from_the_address():
    migration = importlib.import_module(
        "backend.accounts.migrations.0002_clear_display_names_taken_from_email"
    )
    copied = UserFactory(email="olga.n1@example.org", display_name="olga.n1")
    chosen = UserFactory(email="jana@example.org", display_name="Jana")
    migration.clear_email_derived_names(django_apps, None)
    copied.refresh_from_db()
    chosen.refresh_from_db()
    assert copied.display_name == ""
    assert chosen.display_name == "Jana"


@pytest.mark.parametrize(("prefix", "csrf"), [(APP, False), (BROWSER, True)])
def test_signup_with_a_taken_address_looks_like_any_signup_and_mails_the_owner(
    prefix, csrf
):
    UserFactory(email="jana@example.org")

    def client():
        c = APIClient()
        if csrf:
            c.get(f"{BROWSER}/auth/session")
        return c

    fresh = _signup(client(), prefix, "someone-new@example.org")
    mail.outbox.clear()
    taken = _signup(client(), prefix, "jana@example.org")

    assert taken.status_code == fresh.status_code == 401, taken.content
    fresh_body, taken_body = fresh.json(), taken.json()
    assert [f["id"] for f in taken_body["data"]["flows"]] == [
        f["id"] for f in fresh_body["data"]["flows"]
    ]
    assert set(taken_body["meta"]) == set(fresh_body["meta"])
    assert User.objects.filter(email="jana@example.org").count() == 1
    # The owner hears about it instead of the caller.
    assert [m.to for m in mail.outbox] == [["jana@example.org"]]


@pytest.mark.parametrize(
    ("password", "ok"),
    [("Riga-2026", False), ("123456789012", False), ("Riga-20261", True)],
)
def test_passwords_follow_djangos_validators_with_at_least_10_characters(
    settings, password, ok
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    response = _signup(APIClient(), APP, "new@example.org", password)
    if ok:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 400
        assert response.json()["errors"][0]["param"] == "password"
        assert not User.objects.filter(email="new@example.org").exists()


def test_session_tokens_last_the_configured_lifetime(settings):
    settings.SESSION_COOKIE_AGE = 3 * 24 * 3600
    UserFactory(email="jana@example.org")
    response = APIClient().post(
        f"{APP}/auth/login",
        {"email": "jana@example.org", "password": PASSWORD},
        format="json",
    )
    token = response.json()["meta"]["session_token"]
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=token)
    assert store.load()  # the token is a live session
    assert store.get_expiry_age() == 3 * 24 * 3600


def test_display_name_errors_follow_the_interface_language(api_client_for):
    user = UserFactory(interface_language="lv")
    response = api_client_for(user).patch(
        "/api/v1/me/", {"display_name": "Admin"}, format="json"
    )
    assert response.json()["fields"]["display_name"] == [
        "Parādāmais vārds nedrīkst norādīt uz lomu, piemēram, darbinieku vai "
        "moderatoru."
    ]


def test_demo_accounts_log_in_under_mandatory_verification():
    from backend.accounts.demo import DEMO_PASSWORD, seed

    seed()
    response = APIClient().post(
        f"{APP}/auth/login",
        {"email": "newcomer@runa.test", "password": DEMO_PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["meta"]["session_token"]
