"""Health probes, including against a real daphne with a broken database."""

import json
import urllib.error
import urllib.request

import pytest
from rest_framework.test import APIClient

from tests.conftest import session_token_for
from tests.factories import UserFactory
from tests.support import clean_env, daphne, free_port, http_get


@pytest.mark.django_db
def test_healthz_and_readyz_answer_ok_without_auth():
    client = APIClient()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}


def redis_cache_down(settings) -> int:
    """Point the cache at a Redis port nothing listens on; returns the port."""
    port = free_port()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1},
        }
    }
    return port


def test_readyz_fails_with_a_generic_answer_when_the_cache_is_down(
    db, settings, caplog
):
    port = redis_cache_down(settings)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    ready = APIClient().get("/readyz", HTTP_HOST="anything.example")
    assert ready.status_code == 503
    assert ready.json() == {"status": "not ready"}  # nothing about the cause
    assert str(port) not in ready.content.decode()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "readyz: cache failed" in logged
    assert "readyz: sessions failed" in logged
    assert str(port) in logged  # the detail is in the log
    assert "readyz: database failed" not in logged


def test_an_api_call_while_redis_is_down_is_a_503_that_says_retry(db, settings, caplog):
    token = session_token_for(UserFactory())  # in the database: still readable
    port = redis_cache_down(settings)
    settings.SESSION_ENGINE = "backend.accounts.session_engines.cached_db"
    with caplog.at_level("ERROR", logger="backend.api.errors"):
        response = APIClient().get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 503
    assert response.json() == {
        "code": "service_unavailable",
        "message": "The service is unavailable for a moment. Try again shortly.",
        "retry_after": 5,
    }
    assert response["Retry-After"] == "5"
    assert str(port) not in response.content.decode()
    (logged,) = [r for r in caplog.records if r.exc_info]
    assert "did not answer" in logged.getMessage()


def _api_get(url: str, token: str) -> tuple[int, dict, str | None]:
    request = urllib.request.Request(url, headers={"X-Session-Token": token})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read()), None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers["Retry-After"]


def test_readyz_is_not_ready_without_redis_on_a_real_server(tmp_path):
    env = clean_env(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        ALLOWED_HOSTS="127.0.0.1",
    )
    with daphne(env) as base:
        status, body = http_get(f"{base}/readyz", timeout=30)
        assert (status, json.loads(body)) == (503, {"status": "not ready"})


def test_readyz_fails_on_a_broken_database_and_healthz_stays_up(tmp_path):
    missing = tmp_path / "no-such-dir" / "db.sqlite3"
    env = clean_env(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{missing}",
        ALLOWED_HOSTS="127.0.0.1",
    )
    with daphne(env) as base:
        status, body = http_get(f"{base}/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok"})

        status, body = http_get(f"{base}/readyz")
        assert (status, json.loads(body)) == (503, {"status": "not ready"})
        assert b"OperationalError" not in body

        # An app's call: its session cannot be read, so nothing can answer.
        status, body, retry_after = _api_get(f"{base}/api/v1/me/", "x" * 32)
        assert (status, body["code"], retry_after) == (503, "service_unavailable", "5")


def test_probes_answer_any_host_over_plain_http_in_production(tmp_path):
    env = clean_env(
        SECRET_KEY="t9-Vq2xLr7PzK4mW8nB3cJ6hF1dS5gA0eYuQ_oRiTkXlZwEvNbMpCa",
        ALLOWED_HOSTS="runa.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    with daphne(env) as base:  # requested as Host: 127.0.0.1:<port>, no TLS
        assert http_get(f"{base}/healthz") == (200, b'{"status": "ok"}')
        status, _ = http_get(f"{base}/api/v1/me/")
        assert status == 400  # everything else still checks the host
