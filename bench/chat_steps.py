"""The connect, resume, reconnect-storm and idle-memory steps of
bench/chat_fanout.py (issue 14). Each takes a running server's pid and port.

- connect: open N sockets one after another (each fully: runa's until its
  ``hello``, the tutorial's until the handshake), wall time and server CPU per
  1,000, and server RSS per open idle socket;
- resume: a plain connect against a connect with ``?after_seq`` 400 behind,
  alternating, with median/p90/p99 of each (runa only), with the replay one
  ``message.new`` frame per message and batched (``?replay=batch``);
- storm: 2,000 sockets of 100 users (20 rooms x 100 members) drop; messages
  are sent while they are away; all reconnect with ``after_seq`` within 5 s,
  more messages arrive live meanwhile; every socket must then hold every
  missed and live message exactly once, in order (runa only).
"""

import asyncio
import contextlib
import json
import random
import time

import websockets

CONNECT_SOCKETS = 1000
RESUME_MISSED = 400
RESUME_TRIALS = 60
STORM_ROOMS = 20
STORM_USERS = 100
STORM_AWAY_MESSAGES = 10  # per room, sent while everyone is away
STORM_LIVE_MESSAGES = 5  # per room, sent during the reconnects
STORM_WINDOW = 5.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _open(url: str, headers: dict, *, hello: bool):
    ws = await websockets.connect(
        url, additional_headers=headers, max_queue=None, open_timeout=60
    )
    first = None
    if hello:
        first = json.loads(await ws.recv())
        if first.get("type") != "hello":
            raise RuntimeError(f"expected hello, got {first}")
    return ws, first


async def connect_step(target, port: int, pid: int, cpu_seconds, rss_bytes) -> dict:
    """N sockets, one after another; then closed."""
    hello = target.name.startswith("runa")
    rooms = 25
    members = 20
    await asyncio.sleep(1)
    rss_before = rss_bytes(pid)
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    sockets = []
    for n in range(CONNECT_SOCKETS):
        room, member = n % rooms, (n // rooms) % members
        ws, _hello = await _open(
            target.url(port, room, member), target.headers(room, member), hello=hello
        )
        sockets.append(ws)
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    await asyncio.sleep(2)
    rss_after = rss_bytes(pid)
    for ws in sockets:
        with contextlib.suppress(Exception):
            await ws.close()
    await asyncio.sleep(2)
    return {
        "server": target.name,
        "sockets": CONNECT_SOCKETS,
        "wall_s_per_1000": elapsed / CONNECT_SOCKETS * 1000,
        "cpu_s_per_1000": cpu / CONNECT_SOCKETS * 1000,
        "rss_before_mib": rss_before / 2**20,
        "rss_open_mib": rss_after / 2**20,
        "kib_per_idle_socket": (rss_after - rss_before) / CONNECT_SOCKETS / 1024,
    }


async def resume_step(
    target, port: int, pid: int, data: dict, cpu_seconds, *, batch: bool = False
) -> dict:
    """Plain connects vs resumes of RESUME_MISSED messages, alternating; with
    ``batch``, resumes ask for ``replay=batch`` (message.replay frames)."""
    url = f"ws://127.0.0.1:{port}/ws/rooms/{data['resume_room']}/"
    replay = "&replay=batch" if batch else ""
    tokens = data["resume_tokens"]
    last = data["resume_last_seq"]
    plain, resumed = [], []
    cpu = {"plain": 0.0, "resume": 0.0}
    for trial in range(RESUME_TRIALS + 5):
        token = tokens[trial % len(tokens)]
        headers = {"X-Session-Token": token}
        for kind in ("plain", "resume"):
            c0 = cpu_seconds(pid)
            t0 = time.perf_counter()
            if kind == "plain":
                ws, _hello = await _open(url, headers, hello=True)
            else:
                ws, _hello = await _open(
                    f"{url}?after_seq={last - RESUME_MISSED}{replay}",
                    headers,
                    hello=True,
                )
                got = 0
                while got < RESUME_MISSED:
                    frame = json.loads(await ws.recv())
                    if frame["type"] == "message.new":
                        got += 1
                    elif frame["type"] == "message.replay":
                        got += len(frame["messages"])
            elapsed = (time.perf_counter() - t0) * 1000
            spent = cpu_seconds(pid) - c0
            await ws.close()
            if trial >= 5:  # the first ones warm up
                (plain if kind == "plain" else resumed).append(elapsed)
                cpu[kind] += spent
    row = {
        "server": target.name,
        "replay": "batch" if batch else "one by one",
        "missed": RESUME_MISSED,
        "trials": RESUME_TRIALS,
    }
    for kind, values in (("plain", plain), ("resume", resumed)):
        row[f"{kind}_p50_ms"] = percentile(values, 0.5)
        row[f"{kind}_p90_ms"] = percentile(values, 0.9)
        row[f"{kind}_p99_ms"] = percentile(values, 0.99)
        row[f"{kind}_cpu_ms"] = cpu[kind] / RESUME_TRIALS * 1000
    row["ratio_p50"] = row["resume_p50_ms"] / row["plain_p50_ms"]
    return row


class StormSocket:
    def __init__(self, room: int, user: int) -> None:
        self.room, self.user = room, user
        self.last_seq = 0
        self.seqs: list[int] = []
        self.ws = None
        self.reader = None

    async def read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for text in self.ws:
                frame = json.loads(text)
                if frame["type"] == "message.new":
                    self.seqs.append(frame["message"]["seq"])
                elif frame["type"] in ("resync_required", "error"):
                    self.seqs.append(-1)  # counted as a failure


async def storm_step(target, port: int, pid: int, data: dict, cpu_seconds) -> dict:
    rooms = data["storm_rooms"]
    tokens = data["storm_tokens"]
    host_token = data["storm_host_token"]

    def url(room: int, after: int | None = None) -> str:
        base = f"ws://127.0.0.1:{port}/ws/rooms/{rooms[room]}/"
        return base if after is None else f"{base}?after_seq={after}"

    # The host stays connected in every room and sends.
    hosts = []
    for room in range(len(rooms)):
        ws, hello = await _open(url(room), {"X-Session-Token": host_token}, hello=True)
        hosts.append(ws)
    drain = [
        asyncio.create_task(_drain(ws)) for ws in hosts
    ]  # the host ignores what it hears
    sockets = [StormSocket(r, u) for r in range(len(rooms)) for u in range(len(tokens))]
    for s in sockets:
        s.ws, hello = await _open(
            url(s.room), {"X-Session-Token": tokens[s.user]}, hello=True
        )
        s.last_seq = hello["last_seq"]
    # Everyone drops (a network blip), and the host talks meanwhile.
    for s in sockets:
        with contextlib.suppress(Exception):
            await s.ws.close()
    await asyncio.sleep(1)
    for n in range(STORM_AWAY_MESSAGES):
        for room, ws in enumerate(hosts):
            await ws.send(_frame(f"away {room} {n}"))
    await asyncio.sleep(1)

    retries = 0
    jitter = random.Random(41)

    async def reconnect(s: StormSocket, at: float) -> None:
        # As docs/api.md tells apps: a failed handshake (daphne refuses one
        # the app has not answered within 5 s) is retried with full jitter.
        nonlocal retries
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        for attempt in range(6):
            try:
                s.ws, _hello = await _open(
                    url(s.room, s.last_seq),
                    {"X-Session-Token": tokens[s.user]},
                    hello=True,
                )
                break
            except (OSError, websockets.InvalidHandshake, websockets.InvalidMessage):
                if attempt == 5:
                    raise
                retries += 1
                await asyncio.sleep(jitter.uniform(0, min(30, 0.5 * 2**attempt)))
        s.reader = asyncio.create_task(s.read())

    async def live() -> None:
        for n in range(STORM_LIVE_MESSAGES):
            await asyncio.sleep(STORM_WINDOW / STORM_LIVE_MESSAGES)
            for room, ws in enumerate(hosts):
                await ws.send(_frame(f"live {room} {n}"))

    c0 = cpu_seconds(pid)
    t0 = time.perf_counter()
    order = list(sockets)
    random.Random(14).shuffle(order)
    starts = [t0 + STORM_WINDOW * i / len(order) for i in range(len(order))]
    results = await asyncio.gather(
        live(),
        *(reconnect(s, at) for s, at in zip(order, starts, strict=True)),
        return_exceptions=True,
    )
    errors = [repr(r)[:200] for r in results if isinstance(r, Exception)]
    failed_connects = len(errors)
    if errors:
        print("  failed reconnects, e.g.:", sorted(set(errors))[:5], flush=True)
    connected = time.perf_counter() - t0
    final = {}
    expected_new = STORM_AWAY_MESSAGES + STORM_LIVE_MESSAGES
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        if all(len(s.seqs) >= expected_new for s in sockets if s.reader):
            break
        await asyncio.sleep(0.05)
    done = time.perf_counter() - t0
    cpu = cpu_seconds(pid) - c0
    await asyncio.sleep(0.5)  # any late duplicate
    missing = duplicates = disorder = 0
    for s in sockets:
        final = s.last_seq + expected_new
        wanted = list(range(s.last_seq + 1, final + 1))
        got = s.seqs
        missing += len(set(wanted) - set(got))
        duplicates += len(got) - len(set(got))
        if got != sorted(got):
            disorder += 1
    for s in sockets:
        with contextlib.suppress(Exception):
            await s.ws.close()
        if s.reader:
            s.reader.cancel()
    for ws in hosts:
        await ws.close()
    for task in drain:
        task.cancel()
    return {
        "server": target.name,
        "sockets": len(sockets),
        "users": len(tokens),
        "missed_per_socket": STORM_AWAY_MESSAGES,
        "live_per_socket": STORM_LIVE_MESSAGES,
        "failed_connects": failed_connects,
        "retried_handshakes": retries,
        "all_connected_s": connected,
        "all_delivered_s": done,
        "server_cpu_s": cpu,
        "expected_deliveries": len(sockets) * expected_new,
        "missing": missing,
        "duplicates": duplicates,
        "sockets_out_of_order": disorder,
    }


def _frame(body: str) -> str:
    import uuid

    return json.dumps(
        {"type": "message.send", "body": body, "client_msg_id": str(uuid.uuid4())}
    )


async def _drain(ws) -> None:
    with contextlib.suppress(websockets.ConnectionClosed):
        async for _text in ws:
            pass
