"""What a server process loads at start: without Redis, no Redis client (its
code is some 2 MiB per process), and on SQLite no PostgreSQL driver (its wheel's
libraries are some 10 MiB; docs/performance.md)."""

import os
import subprocess
import sys

import pytest

from tests.support import ROOT, clean_env

CHECK = (
    "import sys, backend.asgi; "
    "print(sorted({m.split('.')[0] for m in sys.modules if sys.modules[m]} & {%s}))"
)
REDIS = "'redis', 'django_redis'"
POSTGRES = "'psycopg', 'psycopg_binary', 'psycopg_pool'"


def _loaded(modules: str = REDIS, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CHECK % modules],
        cwd=ROOT,
        env=clean_env(DEBUG="1", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_an_embedded_server_does_not_load_the_redis_client():
    assert _loaded() == "[]"


@pytest.mark.services
def test_a_server_with_redis_loads_it():
    loaded = _loaded(REDIS_URL=os.environ["REDIS_URL"])
    assert loaded == "['django_redis', 'redis']"


def test_a_server_on_sqlite_does_not_load_the_postgresql_driver():
    assert _loaded(POSTGRES) == "[]"
    # DRF, which looked for django.contrib.postgres, still builds the whole API.
    check = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--file",
            os.devnull,
        ],
        cwd=ROOT,
        env=clean_env(DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.services
def test_a_server_on_postgresql_loads_its_driver():
    loaded = _loaded(POSTGRES, DATABASE_URL=os.environ["DATABASE_URL"])
    assert loaded == "['psycopg', 'psycopg_binary']"
