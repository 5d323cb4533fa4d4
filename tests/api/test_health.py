"""Health probes, including against a real daphne with a broken database."""

import json

import pytest
from rest_framework.test import APIClient

from tests.support import clean_env, daphne, http_get


@pytest.mark.django_db
def test_healthz_and_readyz_answer_ok_without_auth():
    client = APIClient()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok"},
    }


def test_readyz_names_the_broken_database_and_healthz_stays_up(tmp_path):
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
        assert status == 503
        report = json.loads(body)
        assert report["status"] == "unavailable"
        assert report["checks"]["database"].startswith("error: OperationalError")
        assert report["checks"]["channel_layer"] == "ok"


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
