"""REST ladder: what each layer of a Runa request costs, and whether a list's
cost grows with the data. Run by hand (not in CI); it only talks to 127.0.0.1.

    .venv/bin/python bench/rest_ladder.py                       # SQLite
    createdb -h 127.0.0.1 -U postgres runa_bench
    .venv/bin/python bench/rest_ladder.py \\
        --database postgres://postgres@127.0.0.1:5432/runa_bench \\
        --redis redis://127.0.0.1:6379/5

For each data size (small, large) the script migrates a fresh database (it
empties the PostgreSQL one it is given), seeds it, and starts one daphne
process with the production settings (``DEBUG=0``; with ``--redis``, Redis
cache and cached_db sessions as in production) pinned to core 1. The client
(core 0) keeps ``--connections`` HTTP/1.1 keep-alive connections busy on one
step at a time, for ``--seconds``; the steps are interleaved over ``--rounds``
rounds, so noise from other processes on the machine hits every step alike.

Steps: ``plain`` (a Django view), ``drf-bare`` (an APIView without
authentication, permission or throttles), ``drf-auth`` (the same with Runa's
session-token authentication and throttles), then every list endpoint and the
POST of an attempt. Per step: requests/s (median over rounds), p50/p99
latency (all rounds), server CPU per request (user+system from /proc, median
over rounds), queries per request (counted once, in process, with Django's
test client), and the ratio to ``drf-bare`` (of requests/s, and of CPU).

Data: small = 10 sessions/rooms of 20 messages, 10 attempts; large = 500
sessions, the user a member of 200 rooms (one with 50,000 messages, the others
20), 10,000 attempts over 100 days. ``rooms`` is asked by a member without
read markers, ``rooms+read`` by one with a marker in every room.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.realtime.servers import free_port, stop, wait_for_port  # noqa: E402

CLIENT_CPU, SERVER_CPU = 0, 1
TICKS = os.sysconf("SC_CLK_TCK")
SIZES = {
    "small": {"sessions": 10, "rooms": 10, "big_room": 20, "attempts": 10},
    "large": {"sessions": 500, "rooms": 200, "big_room": 50_000, "attempts": 10_000},
}
SMALL_ROOM = 20

# name -> (method, path, token user); the POST body is made per request.
# Lists ask for pages of 10, the small data's size, so that small and large
# answer the same number of rows and "growth" is what the data costs.
STEPS = {
    "plain": ("GET", "/bench/plain/", None),
    "drf-bare": ("GET", "/bench/drf-bare/", None),
    "drf-auth": ("GET", "/bench/drf-auth/", "reader"),
    "topics": ("GET", "/api/v1/topics/", "reader"),
    "exercises": ("GET", "/api/v1/exercises/?language=lv", "reader"),
    "clubs": ("GET", "/api/v1/clubs/?page_size=10", "reader"),
    "sessions": ("GET", "/api/v1/sessions/?page_size=10", "reader"),
    "rooms": ("GET", "/api/v1/rooms/?page_size=10", "fresh"),
    "rooms+read": ("GET", "/api/v1/rooms/?page_size=10", "reader"),
    "attempts": ("GET", "/api/v1/attempts/?page_size=10", "reader"),
    "reviews-due": ("GET", "/api/v1/reviews/due/?language=lv", "reader"),
    "progress": ("GET", "/api/v1/progress/?language=lv", "reader"),
    "attempt-post": ("POST", "/api/v1/exercises/{exercise}/attempts/", "reader"),
}


# --- Data (runs in a child process with Django set up) ----------------------------


def seed(size: str) -> dict:
    import django

    django.setup()
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from backend.accounts.models import User
    from clubs.models import Club, Registration, Session
    from exercises.models import Attempt, Exercise
    from exercises.services import attempts as attempt_services
    from realtime.models import Message, ReadMarker, Room

    shape = SIZES[size]
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    host = User.objects.create(email="bench-host@example.org", display_name="Host")
    users = {}
    for name in ("reader", "fresh"):
        user = User.objects.create(
            email=f"bench-{name}@example.org", display_name=name.title()
        )
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        users[name] = user
    club = Club.objects.create(
        name="Bench club",
        level_min="A1",
        level_max="C2",
        weekday=0,
        start_time="18:00",
    )
    club.hosts.add(host)
    start = timezone.now() + timedelta(days=1)
    sessions = Session.objects.bulk_create(
        Session(
            club=club,
            starts_at=start + timedelta(hours=i),
            ends_at=start + timedelta(hours=i, minutes=90),
            level="A2",
            capacity=20,
        )
        for i in range(shape["sessions"])
    )
    member_of = sessions[: shape["rooms"]]
    Registration.objects.bulk_create(
        Registration(session=s, user=u, status="confirmed")
        for s in member_of
        for u in users.values()
    )
    messages = []
    for index, session in enumerate(member_of):
        count = shape["big_room"] if index == 0 else SMALL_ROOM
        Room.objects.create(session=session, last_seq=count)
        messages += [
            Message(
                room_id=session.pk,
                seq=seq,
                author=host,
                client_msg_id=uuid.uuid4(),
                body=f"Ziņa {seq}",
            )
            for seq in range(1, count + 1)
        ]
    Message.objects.bulk_create(messages, batch_size=5000)
    ReadMarker.objects.bulk_create(
        ReadMarker(
            room_id=s.pk,
            user=users["reader"],
            last_read_seq=(shape["big_room"] if i == 0 else SMALL_ROOM) // 2,
        )
        for i, s in enumerate(member_of)
    )

    exercises = list(Exercise.objects.filter(language="lv", is_active=True)[:50])
    reader = users["reader"]
    # A few through the service (review cards, as a learner's would be) ...
    translate = [e for e in exercises if e.kind == "translate"]
    for exercise in (translate * 20)[: min(20, shape["attempts"])]:
        attempt_services.attempt_create(
            user=reader,
            exercise_id=exercise.pk,
            answer="x",
            client_attempt_id=uuid.uuid4(),
            duration_ms=5000,
        )
    # ... the rest in bulk, spread over 100 days.
    now = timezone.now()
    rest = shape["attempts"] - min(20, shape["attempts"])
    Attempt.objects.bulk_create(
        (
            Attempt(
                user=reader,
                exercise=exercises[i % len(exercises)],
                answer="x",
                verdict="correct" if i % 3 else "incorrect",
                client_attempt_id=uuid.uuid4(),
                answered_at=now - timedelta(minutes=14.4 * i + 1),
                duration_ms=4000,
            )
            for i in range(rest)
        ),
        batch_size=5000,
    )
    # Bulk-created attempts bypass the attempt service: rebuild what it keeps
    # (card totals, practised days) with the data migration that backfills them.
    for migration in sorted((ROOT / "exercises" / "migrations").glob("*practice_day*")):
        from importlib import import_module

        from django.apps import apps

        import_module(f"exercises.migrations.{migration.stem}").backfill(apps, None)

    from django.contrib.sessions.backends.db import SessionStore

    tokens = {}
    for name, user in users.items():
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "backend.accounts.auth_backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        tokens[name] = store.session_key
    exercise = next(e for e in exercises if e.kind == "translate")
    data = {"tokens": tokens, "exercise": exercise.pk}
    data["queries"] = count_queries(data)
    connections.close_all()
    return data


def post_body() -> bytes:
    return json.dumps(
        {"answer": "Labdien", "client_attempt_id": str(uuid.uuid4()), "duration_ms": 1}
    ).encode()


def count_queries(data: dict) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=True)
    counts = {}
    for name, (method, path, who) in STEPS.items():
        headers = {"HTTP_X_SESSION_TOKEN": data["tokens"][who]} if who else {}
        path = path.format(exercise=data["exercise"])
        for _warm in range(2):  # the second request, once the caches are warm
            with CaptureQueriesContext(connection) as queries:
                if method == "GET":
                    response = client.get(path, **headers)
                else:
                    response = client.post(
                        path, post_body(), content_type="application/json", **headers
                    )
        assert response.status_code < 300, (
            name,
            response.status_code,
            response.content,
        )
        counts[name] = len(queries)
    return counts


# --- The client ---------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def worker(port, method, path, token, deadline, latencies, errors):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    base = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if token:
        base += f"X-Session-Token: {token}\r\n"
    try:
        while time.perf_counter() < deadline:
            if method == "POST":
                body = post_body()
                request = (
                    base + "Content-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                ).encode() + body
            else:
                request = (base + "\r\n").encode()
            started = time.perf_counter()
            writer.write(request)
            status = await read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status >= 300:
                errors.append(status)
    finally:
        writer.close()


async def run_step(pid, port, step, data, connections, seconds) -> dict:
    method, path, who = STEPS[step]
    path = path.format(exercise=data["exercise"])
    token = data["tokens"][who] if who else None
    latencies: list[float] = []
    errors: list[int] = []
    cpu_before, started = cpu_seconds(pid), time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            worker(port, method, path, token, deadline, latencies, errors)
            for _ in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "cpu_ms": 1000 * cpu / max(len(latencies), 1),
        "latencies": latencies,
        "errors": len(errors),
        "error_status": sorted(set(errors)),
    }


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0


# --- Orchestration -------------------------------------------------------------------


def prepare_database(url: str | None, workdir: Path, size: str) -> str:
    if url is None:
        return f"sqlite:///{workdir / f'{size}.sqlite3'}"
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="PostgreSQL URL (emptied!); default SQLite")
    parser.add_argument(
        "--redis", help="Redis URL: cache and sessions as in production"
    )
    parser.add_argument("--sizes", default="small,large")
    parser.add_argument("--only", help="comma-separated steps")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        print(json.dumps(seed(args.seed)))
        return
    os.sched_setaffinity(0, {CLIENT_CPU})
    steps = args.only.split(",") if args.only else list(STEPS)
    for required in ("drf-bare",):
        if required not in steps:
            steps.insert(0, required)
    workdir = Path(tempfile.mkdtemp(prefix="runa-ladder-"))
    results = {}
    for size in args.sizes.split(","):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.rest_settings",
            "SECRET_KEY": "bench-" + "x" * 50,
            "DEBUG": "0",
            "USE_TLS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "LOG_LEVEL": "WARNING",
            "THROTTLE_USER": "100000000/min",
            "THROTTLE_ANON": "100000000/min",
            "DATABASE_URL": prepare_database(args.database, workdir, size),
        }
        env.pop("REDIS_URL", None)
        if args.redis:
            import redis

            redis.Redis.from_url(args.redis).flushdb()  # the bench's own database
            env["REDIS_URL"] = args.redis
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"[{size}] seeding ...", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, __file__, "--seed", size],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        data = json.loads(out.strip().splitlines()[-1])
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "backend.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: os.sched_setaffinity(0, {SERVER_CPU}),
        )
        try:
            wait_for_port(port, server)
            runs: dict[str, list[dict]] = {step: [] for step in steps}
            for step in steps:  # warm-up
                asyncio.run(run_step(server.pid, port, step, data, 4, 0.5))
            for round_ in range(args.rounds):
                for step in steps:
                    run = asyncio.run(
                        run_step(
                            server.pid, port, step, data, args.connections, args.seconds
                        )
                    )
                    runs[step].append(run)
                    print(
                        f"[{size} r{round_ + 1}] {step:13} {run['rps']:7.0f} req/s "
                        f"{run['cpu_ms']:6.2f} ms CPU/req errors={run['errors']} "
                        f"{run['error_status']}",
                        file=sys.stderr,
                    )
        finally:
            stop(server)
        results[size] = summarize(runs, data["queries"])
    report(results, args)


def summarize(runs: dict[str, list[dict]], queries: dict[str, int]) -> dict:
    rows = {}
    for step, step_runs in runs.items():
        latencies = [x for run in step_runs for x in run["latencies"]]
        rows[step] = {
            "rps": statistics.median(r["rps"] for r in step_runs),
            "rps_range": (
                min(r["rps"] for r in step_runs),
                max(r["rps"] for r in step_runs),
            ),
            "cpu_ms": statistics.median(r["cpu_ms"] for r in step_runs),
            "p50": 1000 * percentile(latencies, 0.5),
            "p99": 1000 * percentile(latencies, 0.99),
            "queries": queries.get(step),
            "errors": sum(r["errors"] for r in step_runs),
        }
    return rows


def report(results: dict, args) -> None:
    db = "PostgreSQL" if args.database else "SQLite"
    db += " + Redis" if args.redis else ""
    lines = [
        f"## {db}, {args.connections} connections, {args.rounds} rounds x "
        f"{args.seconds:g} s",
        "",
        "| data | step | req/s | p50 ms | p99 ms | CPU ms/req | queries "
        "| ratio req/s | ratio CPU | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, rows in results.items():
        bare = rows["drf-bare"]
        for step, row in rows.items():
            low, high = row["rps_range"]
            queries = "—" if row["queries"] is None else row["queries"]
            lines.append(
                f"| {size} | {step} | {row['rps']:.0f} ({low:.0f}–{high:.0f}) "
                f"| {row['p50']:.1f} | {row['p99']:.1f} | {row['cpu_ms']:.2f} "
                f"| {queries} | {row['rps'] / bare['rps']:.2f} "
                f"| {bare['cpu_ms'] / row['cpu_ms']:.2f} | {row['errors']} |"
            )
    if "small" in results and "large" in results:
        lines += [
            "",
            "| step | CPU small → large | queries small → large |",
            "| --- | ---: | --- |",
        ]
        for step in results["small"]:
            small, large = results["small"][step], results["large"].get(step)
            if large:
                lines.append(
                    f"| {step} | {large['cpu_ms'] / small['cpu_ms']:.2f}× "
                    f"| {small['queries']} → {large['queries']} |"
                )
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"rest_ladder-{stamp}.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
