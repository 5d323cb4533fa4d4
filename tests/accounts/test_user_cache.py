"""The logged-in user read from the shared cache: fewer queries, never stale.

The suite's cache is local memory, which stands in for Redis here: both are
reached through ``django.core.cache``. Cross-process behaviour with Redis is
the same code path.
"""

import ast
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.support import ROOT

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


@pytest.fixture
def cached(settings):
    settings.USER_CACHE_SECONDS = 60


def _user_reads(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ME)
    assert response.status_code == 200, response.content
    reads = [q for q in queries.captured_queries if '"accounts_user"' in q["sql"]]
    return len(reads), response.json()


def test_the_user_is_read_once_then_from_the_cache(cached, api_client_for, newcomer):
    client = api_client_for(newcomer)
    assert _user_reads(client)[0] == 1
    assert _user_reads(client)[0] == 0


def test_without_the_cache_every_request_reads_the_user(
    settings, api_client_for, newcomer
):
    settings.USER_CACHE_SECONDS = 0
    client = api_client_for(newcomer)
    _user_reads(client)
    assert _user_reads(client)[0] == 1


def test_a_saved_change_shows_on_the_next_request(cached, api_client_for, newcomer):
    client = api_client_for(newcomer)
    assert _user_reads(client)[1]["is_staff"] is False
    newcomer.is_staff = True
    newcomer.save(update_fields=["is_staff"])
    assert _user_reads(client)[1]["is_staff"] is True


def test_a_deactivated_user_is_refused_at_once(cached, api_client_for, newcomer):
    client = api_client_for(newcomer)
    assert client.get(ME).status_code == 200
    newcomer.is_active = False
    newcomer.save()
    assert client.get(ME).status_code == 401


def test_a_password_change_ends_the_session_at_once(cached, api_client_for, newcomer):
    client = api_client_for(newcomer)
    assert client.get(ME).status_code == 200
    newcomer.set_password("a-new-long-password")
    newcomer.save()
    assert client.get(ME).status_code == 401


def test_a_deleted_user_is_refused_at_once(cached, api_client_for):
    user = UserFactory()
    client = api_client_for(user)
    assert client.get(ME).status_code == 200
    user.delete()
    assert client.get(ME).status_code == 401


def test_the_row_is_dropped_again_when_the_transaction_commits(
    cached, api_client_for, newcomer, django_capture_on_commit_callbacks
):
    # A request between the save and the commit could cache the old row; the
    # delete after the commit removes it.
    client = api_client_for(newcomer)
    client.get(ME)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        newcomer.display_name = "Olena K."
        newcomer.save()
        assert client.get(ME).json()["display_name"] == "Olena K."
    assert callbacks, "no delete was scheduled for the commit"
    for callback in callbacks:
        callback()
    assert _user_reads(client)[0] == 1


@pytest.mark.parametrize(
    "legacy",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_sessions_of_the_old_backend_paths_stay_logged_in(
    cached, api_client, client, newcomer, legacy
):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(newcomer.pk)
    store[BACKEND_SESSION_KEY] = legacy
    store[HASH_SESSION_KEY] = newcomer.get_session_auth_hash()
    store.save()

    api_client.credentials(HTTP_X_SESSION_TOKEN=store.session_key)
    assert api_client.get(ME).json()["id"] == newcomer.pk
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    assert client.get(ME).json()["id"] == newcomer.pk


def test_a_login_stores_the_new_backend_path(client, newcomer):
    client.force_login(newcomer)
    session = client.session
    assert session[BACKEND_SESSION_KEY].startswith("backend.accounts.auth_backends.")


def _user_bulk_writes(path):
    """``User.objects….update(…)`` and ``bulk_update`` calls in one file."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"update", "bulk_update"}
        ):
            continue
        receiver = node.func.value
        while isinstance(receiver, ast.Call | ast.Attribute):
            if isinstance(receiver, ast.Call):
                receiver = receiver.func
            elif receiver.attr == "objects" and getattr(receiver.value, "id", None) in {
                "User",
                "UserModel",
            }:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                break
            else:
                receiver = receiver.value
    return found


def test_no_code_writes_users_past_save_and_delete():
    # The cached row is dropped by save() and delete() only; a bulk update
    # would leave it stale for USER_CACHE_SECONDS (docs/deploy.md).
    found = []
    for app in ("backend", "clubs", "exercises", "privacy", "realtime", "web"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found += _user_bulk_writes(path)
    assert not found
