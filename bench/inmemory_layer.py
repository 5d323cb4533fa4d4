"""Cost of one 20-member group_send (and its receives) as idle sockets grow.

The stock InMemoryChannelLayer scans every channel and group membership on
each receive and group_send; realtime.layers.InMemoryChannelLayer does not.
Run by hand:  .venv/bin/python bench/inmemory_layer.py
"""

import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.test")

import django

django.setup()

from channels.layers import InMemoryChannelLayer as Stock  # noqa: E402

from realtime.layers import InMemoryChannelLayer as Ours  # noqa: E402

ROOM = 20
ROUNDS = 200


async def measure(layer_class, sockets: int) -> float:
    layer = layer_class(capacity=1000)
    channels = [await layer.new_channel() for _ in range(sockets)]
    for index, channel in enumerate(channels):
        await layer.group_add(f"room.{index // ROOM}", channel)
    room = channels[:ROOM]
    # Every socket is always waiting in receive(), as consumers are.
    received = 0

    async def consume(channel):
        nonlocal received
        while True:
            await layer.receive(channel)
            received += 1

    tasks = [asyncio.create_task(consume(c)) for c in channels]
    await asyncio.sleep(0)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        target = received + len(room)
        await layer.group_send("room.0", {"type": "room.message", "text": "x" * 200})
        while received < target:
            await asyncio.sleep(0)
    elapsed = time.perf_counter() - start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return elapsed / (ROUNDS * ROOM) * 1e6


async def main() -> None:
    print(f"µs per delivery, one {ROOM}-member group_send, N sockets waiting")
    print(f"{'sockets':>8} {'stock':>10} {'ours':>10}")
    for sockets in (20, 100, 500, 2000):
        stock = await measure(Stock, sockets)
        ours = await measure(Ours, sockets)
        print(f"{sockets:>8} {stock:>10.1f} {ours:>10.1f}")


if __name__ == "__main__":
    asyncio.run(main())
