"""Profile Runa's daphne (cProfile) while sockets connect or resume.

    .venv/bin/python bench/chat_profile.py connect   # 300 plain connects
    .venv/bin/python bench/chat_profile.py resume    # 40 resumes of 400 missed
    .venv/bin/python bench/chat_profile.py resume-batch  # the same, ?replay=batch
    .venv/bin/python bench/chat_profile.py fanout    # 600 messages to rooms of 20
    (--database / --redis as for bench/chat_fanout.py)

Prints the top functions by cumulative and by own time of the server process.
"""

import argparse
import asyncio
import json
import os
import pstats
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402

from bench import chat_fanout, chat_steps  # noqa: E402
from tests.realtime.servers import free_port, wait_for_port  # noqa: E402

# daphne with a profiler in every thread (the database lanes run in threads);
# their stats are merged when daphne stops (SIGINT).
PROFILED_DAPHNE = """
import cProfile, pstats, sys, threading
profiles = []
def start(*args):
    profile = cProfile.Profile()
    profiles.append(profile)
    profile.enable()
threading.setprofile(start)
main_profile = cProfile.Profile()
profiles.append(main_profile)
out = sys.argv.pop(1)
sys.argv[0] = "daphne"
from daphne.cli import CommandLineInterface
main_profile.enable()
try:
    CommandLineInterface.entrypoint()
finally:
    for profile in profiles:
        profile.disable()
    stats = pstats.Stats(*profiles)
    stats.dump_stats(out)
"""


async def drive(kind: str, port: int, data: dict) -> None:
    if kind == "connect":
        sockets = []
        for n in range(300):
            room, member = n % 25, (n // 25) % 20
            ws = await websockets.connect(
                f"ws://127.0.0.1:{port}/ws/rooms/{data['rooms'][room]}/",
                additional_headers={"X-Session-Token": data["tokens"][room][member]},
            )
            await ws.recv()
            sockets.append(ws)
        for ws in sockets:
            await ws.close()
    elif kind == "fanout":
        await _fanout(port, data)
    else:
        url = f"ws://127.0.0.1:{port}/ws/rooms/{data['resume_room']}/?after_seq=50"
        if kind == "resume-batch":
            url += "&replay=batch"
        for n in range(40):
            token = data["resume_tokens"][n % 10]
            async with websockets.connect(
                url, additional_headers={"X-Session-Token": token}, max_queue=None
            ) as ws:
                got = 0
                while got < 400:
                    frame = json.loads(await ws.recv())
                    if frame["type"] == "message.new":
                        got += 1
                    elif frame["type"] == "message.replay":
                        got += len(frame["messages"])
    await asyncio.sleep(1)


async def _fanout(port: int, data: dict) -> None:
    """5 rooms of 20 members; 600 messages, 100 a second: 12,000 deliveries."""
    sockets = []
    for room in range(5):
        for member in range(20):
            ws = await websockets.connect(
                f"ws://127.0.0.1:{port}/ws/rooms/{data['rooms'][room]}/",
                additional_headers={"X-Session-Token": data["tokens"][room][member]},
                max_queue=None,
            )
            await ws.recv()
            sockets.append(ws)
    readers = [asyncio.create_task(chat_steps._drain(ws)) for ws in sockets]
    for n in range(600):
        await sockets[(n * 21) % len(sockets)].send(chat_steps._frame(f"m{n}"))
        await asyncio.sleep(0.01)
    await asyncio.sleep(2)
    for ws in sockets:
        await ws.close()
    await asyncio.gather(*readers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("connect", "resume", "resume-batch", "fanout"))
    parser.add_argument("--database")
    parser.add_argument("--redis")
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="runa-profile-"))
    env = chat_fanout.runa_server_env(workdir, args.database)
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        env["REDIS_URL"] = args.redis
    else:
        os.environ.pop("REDIS_URL", None)
    data = chat_fanout.prepare_runa(env)
    port = free_port()
    out = workdir / "daphne.prof"
    process = subprocess.Popen(
        [
            *(sys.executable, "-c", PROFILED_DAPHNE, str(out)),
            *("-b", "127.0.0.1", "-p", str(port), "backend.asgi:application"),
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    asyncio.run(drive(args.kind, port, data))
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
