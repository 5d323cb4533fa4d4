"""How many Redis connections one daphne holds while one user opens many
sockets, and after they close. Run by hand (results in docs/performance.md);
tests/realtime/test_redis_connections.py asserts the bound with fewer sockets.

    .venv/bin/python bench/redis_connections.py --redis redis://127.0.0.1:6379/6 \\
        --database postgres://postgres@127.0.0.1:5432/runa_bench --sockets 1000

Counts the daphne process's established TCP connections to the Redis port
(from /proc, so it needs no client names) and, from Redis' ``CLIENT LIST``,
the connections named ``<REDIS_PREFIX>:<pool>`` by each pool. Samples every
0.2 s while the sockets open, then once they are all open, and 1, 10 and 30
seconds after they all closed. Only talks to 127.0.0.1.
"""

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.realtime.servers import (  # noqa: E402
    redis_client_names,
    redis_connections_of,
    start_daphne,
    stop,
)


def prepare(env: dict[str, str]) -> tuple[int, str]:
    """Migrate; one session with one confirmed newcomer; their token."""
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ},
        check=True,
    )
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connections
    from django.utils import timezone

    from backend.accounts.models import User
    from clubs.models import Club, Registration, Session
    from tests.conftest import session_token_for

    suffix = uuid.uuid4().hex[:8]
    club = Club.objects.create(
        name=f"Bench {suffix}", level_min="A1", level_max="C2", weekday=0,
        start_time="18:00",
    )  # fmt: skip
    start = timezone.now() + timedelta(days=1)
    session = Session.objects.create(
        club=club,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        level="A2",
        capacity=10,
    )
    user = User.objects.create(email=f"bench-{suffix}@example.org")
    Registration.objects.create(session=session, user=user, status="confirmed")
    token = session_token_for(user)
    connections.close_all()
    return session.pk, token


async def run(port: int, pid: int, room: int, token: str, sockets: int, redis: str):
    url = f"ws://127.0.0.1:{port}/ws/rooms/{room}/"
    redis_port = urllib.parse.urlsplit(redis).port or 6379
    prefix = os.environ["REDIS_PREFIX"]
    peak = 0
    sampling = True

    async def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, redis_connections_of(pid, redis_port))
            await asyncio.sleep(0.2)

    def snapshot(label: str) -> dict:
        row = {
            "when": label,
            "daphne_tcp": redis_connections_of(pid, redis_port),
            "client_list": redis_client_names(redis, prefix),
        }
        print(json.dumps(row), flush=True)
        return row

    rows = [snapshot("idle")]
    sampler = asyncio.create_task(sample())
    opened: list = []
    refused = 0
    reasons: dict[str, int] = {}

    async def connect() -> None:
        nonlocal refused
        try:
            ws = await websockets.connect(
                url, additional_headers={"X-Session-Token": token}, open_timeout=60
            )
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            opened.append(ws)
            if frame.get("type") != "hello":
                raise RuntimeError(frame.get("type"))
        except Exception as error:
            refused += 1
            reason = f"{type(error).__name__}: {error}"[:80]
            reasons[reason] = reasons.get(reason, 0) + 1

    started = time.monotonic()
    for batch in range(0, sockets, 25):
        await asyncio.gather(*(connect() for _ in range(min(25, sockets - batch))))
    open_seconds = time.monotonic() - started
    await asyncio.sleep(2)
    rows.append(snapshot(f"{len(opened)} sockets connected"))
    for ws in opened:
        await ws.send(json.dumps({"type": "ping"}))
    await asyncio.sleep(2)
    sampling = False
    await sampler
    rows.append({"when": "peak while opening", "daphne_tcp": peak})
    print(json.dumps(rows[-1]), flush=True)
    await asyncio.gather(*(ws.close() for ws in opened), return_exceptions=True)
    closed_at = time.monotonic()
    for after in (1, 10, 30):
        await asyncio.sleep(max(0, closed_at + after - time.monotonic()))
        rows.append(snapshot(f"{after} s after close"))
    print(
        f"opened {len(opened)}, refused {refused} {reasons}, in {open_seconds:.1f} s",
        flush=True,
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--database", default=None, help="default: a temp SQLite")
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--env", action="append", default=[], help="NAME=value")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "USE_TLS": "0",
            "DJANGO_SETTINGS_MODULE": "backend.settings.base",
            "DATABASE_URL": args.database or f"sqlite:///{tmp}/bench.sqlite3",
            "REDIS_URL": args.redis,
            "REDIS_PREFIX": f"bench{uuid.uuid4().hex[:8]}",
            # One user holds them all, as in the finding (issue 9).
            "REALTIME_MAX_SOCKETS_PER_USER": str(args.sockets + 10),
        }
        env.update(item.split("=", 1) for item in args.env)
        room, token = prepare(env)
        log = Path(tmp) / "daphne.log"
        process, port = start_daphne(env, log=log)
        try:
            asyncio.run(run(port, process.pid, room, token, args.sockets, args.redis))
        finally:
            with contextlib.suppress(Exception):
                stop(process)
            lines = log.read_text().splitlines()
            print(f"daphne log: {len(lines)} lines", *lines[-8:], sep="\n")


if __name__ == "__main__":
    main()
