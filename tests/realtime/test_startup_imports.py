"""What a server process loads at start: without Redis, no Redis client (its
code is some 2 MiB per process, docs/performance.md)."""

import os
import subprocess
import sys

import pytest

from tests.support import ROOT, clean_env

CHECK = (
    "import sys, backend.asgi; "
    "print(sorted({m.split('.')[0] for m in sys.modules} & {'redis', 'django_redis'}))"
)


def _loaded(**env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
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
