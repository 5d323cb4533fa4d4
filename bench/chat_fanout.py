"""Chat fan-out benchmark: Runa's room consumer vs the Channels tutorial vs bare
websockets. Run by hand (not in CI); it only talks to 127.0.0.1 and stops by
itself (bounded connections, bounded seconds per step).

    .venv/bin/python bench/chat_fanout.py                 # embedded mode
    .venv/bin/python bench/chat_fanout.py --layer redis \\
        --redis redis://127.0.0.1:6379/5 \\
        --database postgres://postgres@127.0.0.1:5432/runa_bench
    # Memory as deployed: the servers from a virtualenv of requirements.txt
    python3 -m venv /tmp/rt && /tmp/rt/bin/pip install -r requirements.txt
    .venv/bin/python bench/chat_fanout.py --server-venv /tmp/rt --steps connect

25 rooms x 20 members (500 sockets). Senders offer a fixed load of
deliveries per second (a message to a room of 20 is 20 deliveries, the
sender's own copy included); every message carries its send time, so each
receiver measures latency. Reported per server and load: server CPU
microseconds per delivered message (from /proc, over the whole step), latency
percentiles, loss, and server memory per connection. The server runs on one
core, this client on another (sched_setaffinity).
"""

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import chat_steps as steps  # noqa: E402
from tests.realtime.servers import free_port, stop, wait_for_port  # noqa: E402

ROOMS = 25
MEMBERS = 20
LOADS = (1000, 4000)
SECONDS = 10.0
DRAIN_SECONDS = 5.0
IDLE_SECONDS = 5.0
CLIENT_CPU, SERVER_CPU = 0, 1
TICKS = os.sysconf("SC_CLK_TCK")


# --- Servers ----------------------------------------------------------------


def _pinned():
    os.sched_setaffinity(0, {SERVER_CPU})


def spawn(argv: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in argv]
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_pinned,
    )
    wait_for_port(port, process)
    return process, port


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@dataclass
class Target:
    name: str
    argv: list[str]
    env: dict[str, str]
    url: object  # (port, room, member) -> url
    headers: object  # (room, member) -> dict
    frame: object  # (body) -> str
    body_of: object  # (text) -> str | None


# Both daphne servers get the same options. Keepalive pings (500 sockets every
# 20 s by default) are moved out of the measured windows so that whether a ping
# round falls into a window does not favour one server.
# ``--server-venv`` runs them from another virtualenv (a runtime-only one:
# requirements.txt without the development tools, as deployed).
DAPHNE = [
    str(Path(sys.executable).with_name("daphne")),
    "-b",
    "127.0.0.1",
    "-p",
    "{port}",
    "--ping-interval",
    "600",
]


def runa_target(env: dict[str, str], tokens: dict, daphne=DAPHNE) -> Target:
    def frame(body: str) -> str:
        return json.dumps(
            {"type": "message.send", "body": body, "client_msg_id": str(uuid.uuid4())}
        )

    def body_of(text: str) -> str | None:
        data = json.loads(text)
        if data["type"] == "message.new":
            return data["message"]["body"]
        if data["type"] == "error":
            print("  server error frame:", data, file=sys.stderr)
        return None

    return Target(
        "runa",
        [*daphne, "backend.asgi:application"],
        env,
        lambda port, room, member: (
            f"ws://127.0.0.1:{port}/ws/rooms/{tokens['rooms'][room]}/"
        ),
        lambda room, member: {"X-Session-Token": tokens["tokens"][room][member]},
        frame,
        body_of,
    )


def tutorial_target(env: dict[str, str], daphne=DAPHNE) -> Target:
    return Target(
        "tutorial",
        [*daphne, "bench.tutorial_asgi:application"],
        env,
        lambda port, room, member: f"ws://127.0.0.1:{port}/ws/chat/r{room}/",
        lambda room, member: {},
        lambda body: json.dumps({"message": body}),
        lambda text: json.loads(text)["message"],
    )


def bare_target() -> Target:
    return Target(
        "bare websockets",
        [sys.executable, "bench/bare_server.py", "{port}"],
        {},
        lambda port, room, member: f"ws://127.0.0.1:{port}/room/{room}",
        lambda room, member: {},
        lambda body: body,
        lambda text: text,
    )


# --- Runa's data ---------------------------------------------------------------


def runa_server_env(workdir: Path, database: str | None) -> dict[str, str]:
    """Production settings for a bench's runa daphne (SQLite in ``workdir``
    unless a ``database`` URL is given)."""
    return {
        "DJANGO_SETTINGS_MODULE": "backend.settings.base",
        "SECRET_KEY": "bench-" + "x" * 50,
        "DEBUG": "0",
        "USE_TLS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database or f"sqlite:///{workdir / 'db.sqlite3'}",
        # The storm's users hold a socket in each of its 20 rooms.
        "REALTIME_MAX_SOCKETS_PER_USER": "50",
    }


def prepare_runa(env: dict[str, str]) -> dict:
    """Migrate a fresh database; 25 sessions with 20 confirmed members each."""
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
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from backend.accounts.models import User
    from clubs.models import Club, Registration, Session

    # The configured engine, as a login saves them: with Redis the session is
    # in the cache too (it was the database's alone, so every first socket of
    # a user read it from PostgreSQL, which no logged-in app does).
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    def token_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "backend.accounts.auth_backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        return store.session_key

    suffix = uuid.uuid4().hex[:8]
    club = Club.objects.create(
        name=f"Bench {suffix}",
        level_min="A1",
        level_max="C2",
        weekday=0,
        start_time="18:00",
    )
    rooms, tokens = [], []
    start = timezone.now() + timedelta(days=1)
    for room in range(ROOMS):
        session = Session.objects.create(
            club=club,
            starts_at=start + timedelta(hours=room),
            ends_at=start + timedelta(hours=room, minutes=90),
            level="A2",
            capacity=MEMBERS,
        )
        rooms.append(session.pk)
        room_tokens = []
        for member in range(MEMBERS):
            user = User.objects.create(
                email=f"bench-{suffix}-{room}-{member}@example.org",
                display_name=f"Member {room}-{member}",
            )
            Registration.objects.create(session=session, user=user, status="confirmed")
            room_tokens.append(token_for(user))
        tokens.append(room_tokens)
    data = {"rooms": rooms, "tokens": tokens}
    data.update(_prepare_resume_and_storm(club, start, suffix, token_for))
    from django.db import connections

    connections.close_all()
    return data


def _prepare_resume_and_storm(club, start, suffix: str, token_for) -> dict:
    """The resume room (RESUME_MISSED + 50 messages, 10 members) and the storm's
    rooms (STORM_ROOMS sessions, the same STORM_USERS members in each, one host)."""
    from datetime import timedelta

    from backend.accounts.models import User
    from clubs.models import Club, Registration, Session
    from realtime import services
    from realtime.models import Room

    def new_session(club, hours: int, capacity: int) -> Session:
        session = Session.objects.create(
            club=club,
            starts_at=start + timedelta(hours=hours),
            ends_at=start + timedelta(hours=hours, minutes=90),
            level="A2",
            capacity=capacity,
        )
        Room.objects.get_or_create(session=session)
        return session

    def new_user(name: str) -> User:
        return User.objects.create(
            email=f"bench-{suffix}-{name}@example.org", display_name=f"Member {name}"
        )

    resume = new_session(club, 100, 10)
    readers = [new_user(f"resume-{n}") for n in range(10)]
    Registration.objects.bulk_create(
        Registration(session=resume, user=u, status="confirmed") for u in readers
    )
    for n in range(steps.RESUME_MISSED + 50):
        services.message_send(
            room_id=resume.pk,
            user=readers[n % 10],
            body=f"Resume message {n}: Es gribu runāt par tirgu un laikapstākļiem.",
            client_msg_id=uuid.uuid4(),
        )
    storm_club = Club.objects.create(
        name=f"Storm {suffix}",
        level_min="A1",
        level_max="C2",
        weekday=1,
        start_time="18:00",
    )
    host = new_user("storm-host")
    storm_club.hosts.add(host)
    sessions = [
        new_session(storm_club, 200 + n, steps.STORM_USERS)
        for n in range(steps.STORM_ROOMS)
    ]
    users = [new_user(f"storm-{n}") for n in range(steps.STORM_USERS)]
    Registration.objects.bulk_create(
        Registration(session=s, user=u, status="confirmed")
        for s in sessions
        for u in users
    )
    return {
        "resume_room": resume.pk,
        "resume_tokens": [token_for(u) for u in readers],
        "resume_last_seq": steps.RESUME_MISSED + 50,
        "storm_rooms": [s.pk for s in sessions],
        "storm_tokens": [token_for(u) for u in users],
        "storm_host_token": token_for(host),
    }


# --- The client ----------------------------------------------------------------


@dataclass
class Step:
    load: int
    sent: int = 0
    received: int = 0
    duplicates: int = 0
    closed: int = 0
    latencies: list[float] = field(default_factory=list)
    cpu: float = 0.0


class Bench:
    def __init__(self, target: Target, port: int) -> None:
        self.target = target
        self.port = port
        self.sockets: list[list] = []
        self.step: Step | None = None
        self.seen: set[tuple[int, int]] = set()

    async def connect(self) -> None:
        for room in range(ROOMS):
            row = []
            for member in range(MEMBERS):
                ws = await websockets.connect(
                    self.target.url(self.port, room, member),
                    additional_headers=self.target.headers(room, member),
                    max_queue=None,
                    open_timeout=30,
                )
                row.append(ws)
            self.sockets.append(row)
        self.readers = [
            asyncio.create_task(self.read(ws, index))
            for index, ws in enumerate(s for row in self.sockets for s in row)
        ]

    async def read(self, ws, index: int) -> None:
        try:
            async for text in ws:
                body = self.target.body_of(text)
                if body is None or self.step is None:
                    continue
                now = time.perf_counter_ns()
                sent_ns, message_id = body.split(" ")
                key = (index, int(message_id))
                if key in self.seen:
                    self.step.duplicates += 1
                    continue
                self.seen.add(key)
                self.step.received += 1
                self.step.latencies.append((now - int(sent_ns)) / 1e6)
        except websockets.ConnectionClosed:
            pass

    async def run(self, load: int, pid: int, message_base: int) -> Step:
        step = Step(load)
        self.step = step
        per_second = load / MEMBERS
        cpu_start = cpu_seconds(pid)
        started = time.perf_counter()
        total = int(per_second * SECONDS)
        for n in range(total):
            due = started + n / per_second
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            room = n % ROOMS
            member = (n // ROOMS) % MEMBERS
            body = f"{time.perf_counter_ns()} {message_base + n}"
            try:
                await self.sockets[room][member].send(self.target.frame(body))
            except websockets.ConnectionClosed:
                step.closed += 1  # the server dropped this socket
                continue
            step.sent += 1
        expected = step.sent * MEMBERS
        deadline = time.perf_counter() + DRAIN_SECONDS
        while step.received < expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        step.cpu = cpu_seconds(pid) - cpu_start
        self.step = None
        return step

    async def close(self) -> None:
        for row in self.sockets:
            for ws in row:
                with contextlib.suppress(Exception):
                    await ws.close()
        for reader in self.readers:
            reader.cancel()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def bench_target(target: Target, step_names: set[str], data: dict) -> dict:
    process, port = spawn(target.argv, target.env)
    out: dict = {"fanout": [], "connect": [], "resume": [], "storm": []}
    try:
        await asyncio.sleep(2)
        if "connect" in step_names:
            print("  connect", flush=True)
            row = await steps.connect_step(
                target, port, process.pid, cpu_seconds, rss_bytes
            )
            print(json.dumps(row), flush=True)
            out["connect"].append(row)
        if "fanout" in step_names:
            out["fanout"] = await fanout_step(target, port, process)
        if "resume" in step_names and target.name.startswith("runa"):
            print("  resume", flush=True)
            for batch in (False, True):
                row = await steps.resume_step(
                    target, port, process.pid, data, cpu_seconds, batch=batch
                )
                print(json.dumps(row), flush=True)
                out["resume"].append(row)
        if "storm" in step_names and target.name.startswith("runa"):
            print("  reconnect storm", flush=True)
            row = await steps.storm_step(target, port, process.pid, data, cpu_seconds)
            print(json.dumps(row), flush=True)
            out["storm"].append(row)
    finally:
        stop(process)
    return out


async def fanout_step(target: Target, port: int, process) -> list[dict]:
    rows = []
    rss_idle = rss_bytes(process.pid)
    bench = Bench(target, port)
    await bench.connect()
    await asyncio.sleep(1)
    per_connection = (rss_bytes(process.pid) - rss_idle) / (ROOMS * MEMBERS)
    # Warm up (first queries, caches, import-heavy paths).
    await bench.run(200, process.pid, 10_000_000)
    # The cost of just holding the sockets open (timers, keepalives).
    print(f"  idle for {IDLE_SECONDS:.0f} s", flush=True)
    idle_start = cpu_seconds(process.pid)
    await asyncio.sleep(IDLE_SECONDS)
    idle = (cpu_seconds(process.pid) - idle_start) / IDLE_SECONDS
    for index, load in enumerate(LOADS):
        print(f"  offering {load} deliveries/s for {SECONDS:.0f} s", flush=True)
        step = await bench.run(load, process.pid, (index + 1) * 1_000_000)
        expected = step.sent * MEMBERS
        rows.append(
            {
                "server": target.name,
                "load": load,
                "sent": step.sent,
                "expected": expected,
                "delivered": step.received,
                "loss_pct": 100 * (expected - step.received) / expected,
                "duplicates": step.duplicates,
                "sends_to_closed_sockets": step.closed,
                "cpu_us_per_delivery": step.cpu / max(step.received, 1) * 1e6,
                "p50_ms": percentile(step.latencies, 0.50),
                "p95_ms": percentile(step.latencies, 0.95),
                "p99_ms": percentile(step.latencies, 0.99),
                "kib_per_connection": per_connection / 1024,
                "idle_cpu_ms_per_s": idle * 1000,
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    await bench.close()
    await asyncio.sleep(2)
    return rows


def generic_table(rows: list[dict]) -> str:
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + " --- |" * len(keys)]
    for r in rows:
        cells = [f"{v:,.2f}" if isinstance(v, float) else str(v) for v in r.values()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(rows: list[dict]) -> str:
    lines = [
        "| server | offered deliveries/s | delivered / expected | loss | "
        "CPU µs per delivery | p50 ms | p95 ms | p99 ms | KiB per connection | "
        "idle CPU ms/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['server']} | {r['load']:,} | {r['delivered']:,} / "
            f"{r['expected']:,} | {r['loss_pct']:.2f}% | "
            f"{r['cpu_us_per_delivery']:.0f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | "
            f"{r['kib_per_connection']:.0f} | {r['idle_cpu_ms_per_s']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layer", choices=("memory", "redis"), default="memory")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument(
        "--redis-layer",
        choices=("pubsub", "core"),
        default="pubsub",
        help="channels_redis layer for Runa (REALTIME_REDIS_LAYER)",
    )
    parser.add_argument("--database", help="Runa's DATABASE_URL (default: temp SQLite)")
    parser.add_argument("--only", help="comma-separated: runa,tutorial,bare")
    parser.add_argument(
        "--server-venv",
        help="virtualenv whose daphne runs the servers (e.g. one with only "
        "requirements.txt: memory as deployed, without the test tools)",
    )
    parser.add_argument(
        "--steps",
        default="connect,fanout,resume,storm",
        help="comma-separated: connect (and idle memory), fanout, resume, storm",
    )
    args = parser.parse_args()
    os.sched_setaffinity(0, {CLIENT_CPU})

    workdir = Path(tempfile.mkdtemp(prefix="runa-bench-"))
    runa_env = runa_server_env(workdir, args.database)
    # The storm's host sends 15 messages per room in a few seconds.
    runa_env["REALTIME_RATE_BURST"] = "100"
    tutorial_env = {}
    if args.layer == "redis":
        import redis

        redis.Redis.from_url(args.redis).flushdb()  # the bench's own database
        runa_env["REDIS_URL"] = args.redis
        runa_env["REDIS_PREFIX"] = os.environ.get("REDIS_PREFIX", "runa_bench")
        runa_env["REALTIME_REDIS_LAYER"] = args.redis_layer
        tutorial_env = {"BENCH_LAYER": "redis", "REDIS_URL": args.redis}
    else:
        os.environ.pop("REDIS_URL", None)

    daphne = list(DAPHNE)
    if args.server_venv:
        daphne[0] = str(Path(args.server_venv) / "bin" / "daphne")
    only = set((args.only or "runa,tutorial,bare").split(","))
    step_names = set(args.steps.split(","))
    targets, data = [], {}
    if "runa" in only:
        data = prepare_runa(runa_env)
        target = runa_target(runa_env, data, daphne)
        if args.layer == "redis":
            target.name = f"runa ({args.redis_layer})"
        targets.append(target)
    if "tutorial" in only:
        targets.append(tutorial_target(tutorial_env, daphne))
    if "bare" in only:
        targets.append(bare_target())

    results = {"fanout": [], "connect": [], "resume": [], "storm": []}
    for target in targets:
        print(f"== {target.name} ({args.layer})", flush=True)
        out = asyncio.run(bench_target(target, step_names, data))
        for key, rows in out.items():
            results[key] += rows
    print()
    print(f"layer: {args.layer}; database: {'postgres' if args.database else 'sqlite'}")
    if results["connect"]:
        print("\nconnect (and idle memory)")
        print(generic_table(results["connect"]))
    if results["fanout"]:
        print(f"\nfan-out, {ROOMS} rooms x {MEMBERS} members")
        print(table(results["fanout"]))
    if results["resume"]:
        print("\nresume")
        print(generic_table(results["resume"]))
    if results["storm"]:
        print("\nreconnect storm")
        print(generic_table(results["storm"]))
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / f"chat_fanout-{args.layer}-{int(time.time())}.json").write_text(
        json.dumps(results, indent=2)
    )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
