"""Client addresses and request limits through real daphne processes.

Each server runs the test settings on its own migrated SQLite file; what a
client writes into X-Forwarded-For must never move it to another per-IP
bucket (DRF's anonymous throttle, allauth's log-in and sign-up limits).
"""

import http.client
import json
import socket
import subprocess
import sys

import pytest

from tests.realtime.servers import ROOT, start_daphne, stop


def production_options() -> tuple[str, ...]:
    """daphne's options as the Dockerfile runs it (minus address and port)."""
    cmd = next(
        line
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("CMD ")
    )
    args = json.loads(cmd[4:])
    assert args[:5] == ["daphne", "-b", "0.0.0.0", "-p", "8000"], args  # noqa: S104
    return tuple(args[5:-1])


URL_FEED = "/api/v1/calendar/" + "x" * 32 + ".ics"  # AllowAny: throttled, then 404


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("daphne") / "db.sqlite3"
    url = f"sqlite:///{path}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0", "--noinput"],
        cwd=ROOT,
        env=_env(url),
        check=True,
        timeout=300,
    )
    return url


def _env(database_url: str, **extra: str) -> dict[str, str]:
    import os

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "THROTTLE_ANON": "5/min",
        **extra,
    }


@pytest.fixture(scope="module")
def behind_one_proxy(database_url):
    process, port = start_daphne(
        _env(database_url, TRUSTED_PROXY_COUNT="1"), options=production_options()
    )
    yield port
    stop(process)


@pytest.fixture(scope="module")
def no_proxy(database_url):
    process, port = start_daphne(_env(database_url), options=production_options())
    yield port
    stop(process)


def request(port, method, path, *, forwarded=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1"}
    if forwarded is not None:
        headers["X-Forwarded-For"] = forwarded
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    status, data = response.status, response.read()
    connection.close()
    return status, data


def test_spoofed_forwarded_for_does_not_escape_the_anonymous_throttle(
    behind_one_proxy,
):
    # The client writes a new address each time; our proxy appends the real one.
    statuses = [
        request(
            behind_one_proxy, "GET", URL_FEED, forwarded=f"10.9.9.{i}, 198.51.100.1"
        )[0]
        for i in range(8)
    ]
    assert statuses == [404] * 5 + [429] * 3
    # Another real client (as the proxy saw it) has its own budget.
    assert (
        request(behind_one_proxy, "GET", URL_FEED, forwarded="198.51.100.2")[0] == 404
    )


def test_without_trusted_proxies_forwarded_for_is_ignored(no_proxy):
    statuses = [
        request(no_proxy, "GET", URL_FEED, forwarded=f"10.8.8.{i}")[0] for i in range(7)
    ]
    assert statuses == [404] * 5 + [429] * 2


def _login(port, email, forwarded):
    status, data = request(
        port,
        "POST",
        "/_allauth/app/v1/auth/login",
        forwarded=forwarded,
        body={"email": email, "password": "wrong-password-1"},
    )
    return status, json.loads(data)


def test_spoofed_forwarded_for_does_not_escape_the_failed_login_limit(
    behind_one_proxy,
):
    # allauth: 10 failed log-ins a minute per client address, whatever e-mails.
    statuses = [
        _login(behind_one_proxy, f"guess{i}@example.org", f"10.7.7.{i}, 198.51.100.3")[
            0
        ]
        for i in range(12)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]


def test_a_stranger_guessing_locks_out_only_their_own_address(behind_one_proxy):
    attacker, owner = "198.51.100.4", "198.51.100.5"
    results = [
        _login(behind_one_proxy, "victim@example.org", attacker) for _ in range(6)
    ]
    assert [status for status, _body in results] == [400] * 5 + [429]
    assert results[-1][1]["status"] == 429
    # The owner, from elsewhere, is not locked out of their account.
    status, body = _login(behind_one_proxy, "victim@example.org", owner)
    assert status == 400
    assert body["errors"][0]["code"] == "email_password_mismatch"


def test_spoofed_forwarded_for_does_not_escape_the_signup_limit(behind_one_proxy):
    statuses = [
        request(
            behind_one_proxy,
            "POST",
            "/_allauth/app/v1/auth/signup",
            forwarded=f"10.6.6.{i}, 198.51.100.6",
            body={"email": f"new{i}@example.org", "password": "Daugava-river-2026"},
        )[0]
        for i in range(22)
    ]
    assert 429 not in statuses[:20], statuses
    assert statuses[20:] == [429, 429]


def _raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def _split(raw: bytes) -> tuple[str, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), json.loads(body)


def test_a_60_kb_query_string_is_414_in_the_contract(no_proxy):
    line = b"GET /api/v1/sessions/?q=" + b"a" * 60_000 + b" HTTP/1.1\r\n"
    status, body = _split(_raw(no_proxy, line + b"Host: 127.0.0.1\r\n\r\n"))
    assert status == "HTTP/1.1 414 URI Too Long"
    assert body["code"] == "uri_too_long" and body["message"]


def test_oversized_headers_are_431_in_the_contract(no_proxy):
    headers = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"p" * 1000) for i in range(20))
    raw = _raw(
        no_proxy, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n"
    )
    status, body = _split(raw)
    assert status.startswith("HTTP/1.1 431")
    assert body["code"] == "headers_too_large"


def test_a_malformed_request_line_is_400_in_the_contract(no_proxy):
    status, body = _split(_raw(no_proxy, b"NONSENSE\r\n\r\n"))
    assert status == "HTTP/1.1 400 Bad Request"
    assert body["code"] == "bad_request"


def test_ordinary_requests_still_pass(no_proxy):
    assert request(no_proxy, "GET", "/healthz")[0] == 200
