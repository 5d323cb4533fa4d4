"""The fixed cast of test users and authenticated API clients.

- ``newcomer``: an ordinary learner;
- ``volunteer``: an approved volunteer (may host clubs);
- ``pending_volunteer``: applied, not yet approved;
- ``staff``: city staff;
- ``stranger``: another ordinary user, for "may not see others' things" tests.

``riga_midday`` runs a test at noon in Riga, for answers that depend on the local day.

``api_client_for(user)`` returns a DRF client that authenticates exactly like the
mobile app: with a real allauth session token in ``X-Session-Token``.
"""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from rest_framework.test import APIClient

from backend.accounts.models import VolunteerStatus
from tests.factories import StaffFactory, UserFactory, VolunteerFactory


@pytest.fixture
def riga_midday():
    """Noon today in Riga, the clock still ticking: practice a few hours or whole
    days back falls on the days the test means, whenever the suite runs (CI runs
    near midnight too, and a streak of "three hours ago" then spans two days)."""
    noon = datetime.now(ZoneInfo("Europe/Riga")).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    with time_machine.travel(noon, tick=True):
        yield noon


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle and rate-limit counters live in the cache; start each test clean.
    cache.clear()
    yield


def session_token_for(user) -> str:
    """A real allauth session token: the key of a logged-in Django session."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "backend.accounts.auth_backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
):
    # SQLite's test database is a file, not in memory: the browser tests of
    # the chat run a real daphne in another process on the same database
    # (tests/web/asgi_server.py). WAL and synchronous=NORMAL keep it fast.
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_client_for(db):
    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_X_SESSION_TOKEN=session_token_for(user))
        client.user = user
        return client

    return make


@pytest.fixture
def newcomer(db):
    return UserFactory(display_name="Olena", level="A2")


@pytest.fixture
def stranger(db):
    return UserFactory(display_name="Stranger")


@pytest.fixture
def volunteer(db):
    return VolunteerFactory(display_name="Jānis")


@pytest.fixture
def pending_volunteer(db):
    return UserFactory(volunteer_status=VolunteerStatus.PENDING)


@pytest.fixture
def staff(db):
    return StaffFactory(display_name="Ilze")


def services_configured() -> bool:
    """True when DATABASE_URL points at PostgreSQL and REDIS_URL is set."""
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(
        os.environ.get("REDIS_URL")
    )


def pytest_collection_modifyitems(config, items):
    # Tests marked `services` need PostgreSQL + Redis. Locally they skip; in CI
    # the services run is mandatory, so .ci/run sets both URLs.
    if services_configured():
        return
    skip = pytest.mark.skip(reason="needs DATABASE_URL=postgres://... and REDIS_URL")
    for item in items:
        if item.get_closest_marker("services") is not None:
            item.add_marker(skip)


@pytest.fixture
def revoked(monkeypatch):
    """Calls of realtime.events.room_access_revoked, as (session_id, user_id)."""
    calls: list[tuple[int, int]] = []

    def record(*, session_id: int, user_id: int) -> None:
        calls.append((session_id, user_id))

    monkeypatch.setattr("realtime.events.room_access_revoked", record)
    return calls
