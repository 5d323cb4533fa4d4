"""A process's memory of recently authenticated tokens
(``AUTH_PROCESS_CACHE_SECONDS``): no reads within the window, and nothing
this process does itself is ever answered from a stale entry."""

from importlib import import_module

import pytest
from django.conf import settings

from backend.accounts import recent_tokens
from backend.api import authentication
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
LOGOUT = "/_allauth/app/v1/auth/session"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(recent_tokens, "_clock", clock)
    return clock


@pytest.fixture
def remembered(settings, clock):
    settings.AUTH_PROCESS_CACHE_SECONDS = 2
    recent_tokens.forget_all()
    yield
    recent_tokens.forget_all()


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The tokens authenticated by reading their session and user (from the
    database or the shared cache, whichever the settings use)."""
    tokens = []
    read = authentication.authenticate_by_x_session_token

    def counted(token):
        tokens.append(token)
        return read(token)

    monkeypatch.setattr(authentication, "authenticate_by_x_session_token", counted)
    return tokens


def test_a_token_seen_a_moment_ago_needs_no_read(
    remembered, clock, reads, api_client_for
):
    user = UserFactory(display_name="Olena")
    client = api_client_for(user)
    for _ in range(3):
        assert client.get(ME).json()["display_name"] == "Olena"
    assert len(reads) == 1
    clock.now += 1.9
    assert client.get(ME).status_code == 200
    assert len(reads) == 1
    clock.now += 0.1
    assert client.get(ME).status_code == 200
    assert len(reads) == 2


def test_off_by_default_every_request_reads(reads, api_client_for):
    assert settings.AUTH_PROCESS_CACHE_SECONDS == 0
    client = api_client_for(UserFactory())
    for _ in range(3):
        assert client.get(ME).status_code == 200
    assert len(reads) == 3
    assert recent_tokens._entries == {}


def test_log_out_in_this_process_applies_at_once(remembered, api_client_for):
    client = api_client_for(UserFactory())
    assert client.get(ME).status_code == 200
    assert client.delete(LOGOUT).status_code == 401  # allauth: logged out
    assert client.get(ME).status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda user: setattr(user, "is_active", False), id="deactivated"),
        pytest.param(
            lambda user: user.set_password("a-new-long-password"), id="new password"
        ),
    ],
)
def test_a_saved_user_change_applies_at_once(remembered, api_client_for, change):
    user = UserFactory()
    client = api_client_for(user)
    assert client.get(ME).status_code == 200
    change(user)
    user.save()
    assert client.get(ME).status_code == 401


def test_a_saved_profile_change_shows_at_once(remembered, api_client_for):
    user = UserFactory(display_name="Olena")
    client = api_client_for(user)
    assert client.get(ME).json()["display_name"] == "Olena"
    user.display_name = "Oļena"
    user.save(update_fields=["display_name"])
    assert client.get(ME).json()["display_name"] == "Oļena"


def test_a_deleted_account_is_refused_at_once(remembered, api_client_for):
    user = UserFactory()
    client = api_client_for(user)
    assert client.get(ME).status_code == 200
    user.delete()
    assert client.get(ME).status_code == 401


def test_what_another_process_ends_applies_within_the_window(
    remembered, clock, api_client_for
):
    """Another process's log-out deletes the session row; this process does
    not hear of it and answers from memory until the window has passed."""
    client = api_client_for(UserFactory())
    assert client.get(ME).status_code == 200
    # Django's own store of the same engine: what another process's log-out
    # does, without this process's hook.
    engine = settings.SESSION_ENGINE.rsplit(".", 1)[-1]
    stock = import_module(f"django.contrib.sessions.backends.{engine}")
    stock.SessionStore(client._credentials["HTTP_X_SESSION_TOKEN"]).delete()
    clock.now += 1.9
    assert client.get(ME).status_code == 200
    clock.now += 0.1
    assert client.get(ME).status_code == 401


def test_each_request_gets_its_own_user_and_session(remembered, api_client_for):
    user = UserFactory()
    client = api_client_for(user)
    assert client.get(ME).status_code == 200
    token = client._credentials["HTTP_X_SESSION_TOKEN"]
    first, second = recent_tokens.recall(token), recent_tokens.recall(token)
    assert first[0] == second[0] == user
    assert first[0] is not second[0]
    assert first[1] is not second[1]
    first[0].display_name = "changed by a view"
    first[1]["note"] = "changed by a view"
    user_again, session_again = recent_tokens.recall(token)
    assert user_again.display_name != "changed by a view"
    assert "note" not in session_again
