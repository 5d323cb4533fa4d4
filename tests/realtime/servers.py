"""Real daphne processes on 127.0.0.1 for cross-process tests (and the bench)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"daphne did not listen on {port}")


def start_daphne(
    env: dict[str, str],
    *,
    application: str = "backend.asgi:application",
    options: tuple[str, ...] = (),
    log: Path | None = None,
):
    """Start daphne on a free port (with extra daphne ``options``); returns
    (process, port). Its stderr goes to ``log`` if given (a pipe nobody reads
    would stall a chatty server)."""
    port = free_port()
    stderr = open(log, "wb") if log else subprocess.PIPE  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("daphne")),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            *options,
            application,
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    try:
        wait_for_port(port, process)
    except Exception:
        process.kill()
        output = Path(log).read_bytes() if log else process.stderr.read()
        raise RuntimeError(output.decode()[-3000:]) from None
    return process, port


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def redis_connections_of(pid: int, redis_port: int) -> int:
    """Established TCP connections of process ``pid`` to ``redis_port``
    (from /proc: counts every pool, named or not)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            next(rows)
            for row in rows:
                fields = row.split()
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                if (
                    remote_port == redis_port
                    and fields[3] == "01"
                    and (fields[9] in inodes)
                ):
                    count += 1
    return count


def redis_client_names(redis_url: str, prefix: str) -> dict[str, int]:
    """Redis' CLIENT LIST: connections per name ``<prefix>:<pool>``."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        names: dict[str, int] = {}
        for entry in client.client_list():
            name = entry.get("name", "")
            if name.startswith(f"{prefix}:"):
                names[name] = names.get(name, 0) + 1
        return names
    finally:
        client.close()


def database_url_of_this_run() -> str:
    """The URL of this test run's database, for a server process beside it."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@"
        f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def services_env(**extra: str) -> dict[str, str]:
    """Environment for a daphne on the test's PostgreSQL database and Redis."""
    from django.conf import settings

    return {
        "DATABASE_URL": database_url_of_this_run(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "backend.settings.test",
        **extra,
    }
