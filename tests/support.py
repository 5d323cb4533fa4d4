"""Helpers for tests that run the project in real subprocesses."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**overrides: str) -> dict[str, str]:
    """The environment without the variables our settings read, plus overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "REDIS_URL",
            "ALLOWED_HOSTS",
            "CSRF_TRUSTED_ORIGINS",
            "USE_TLS",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def http_get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextmanager
def daphne(env: dict[str, str]) -> Iterator[str]:
    """Run daphne on a free port; yields its base URL and stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "backend.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"daphne exited: {process.stdout.read()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("daphne did not start in 30 s") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def count_queries(call) -> int:
    """How many SQL queries ``call()`` runs (a test-client request included).

    The test client's request_started signal clears the connection's query log,
    so the log is cleared first here too, or the count would come out as zero.
    """
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def auth_queries() -> int:
    """Queries an authenticated request spends on its log-in, caches warm.

    The session's, unless cached_db keeps it in Redis; the user's, unless the
    user cache is on (``USER_CACHE_SECONDS``, with Redis by default).
    """
    from django.conf import settings

    session = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    user = 0 if settings.USER_CACHE_SECONDS else 1
    return session + user
