"""What `make run` hands the server it starts (read through make itself)."""

import os
import shutil
import subprocess

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")

PROBE = "probe:\n\t@printenv FRONTEND_URL\n"


def _make_env(*args: str, **env: str) -> str:
    """FRONTEND_URL as the Makefile's recipes (``run`` among them) see it."""
    environ = {k: v for k, v in os.environ.items() if k != "FRONTEND_URL"}
    environ.update(env)
    result = subprocess.run(
        ["make", "-s", "-f", "Makefile", "-f", "-", *args, "probe"],
        cwd=ROOT,
        input=PROBE,
        capture_output=True,
        text=True,
        env=environ,
        check=True,
    )
    return result.stdout.strip()


def test_frontend_url_follows_the_port():
    assert _make_env() == "http://127.0.0.1:8000"
    assert _make_env("PORT=8123") == "http://127.0.0.1:8123"
    assert _make_env(PORT="8124") == "http://127.0.0.1:8124"


def test_an_explicit_frontend_url_wins():
    url = "https://runa.example.org"
    assert _make_env("PORT=8123", FRONTEND_URL=url) == url
