"""A bare ``websockets`` broadcast server: the floor for bench/chat_fanout.py.

Each text frame is relayed as is to every socket of the same room (sender
included), with ``websockets.broadcast``. No JSON, no auth, no storage.
Run: python bench/bare_server.py PORT
"""

import asyncio
import sys
from collections import defaultdict

from websockets.asyncio.server import broadcast, serve

rooms: dict[str, set] = defaultdict(set)


async def handler(connection) -> None:
    room = rooms[connection.request.path]
    room.add(connection)
    try:
        async for message in connection:
            broadcast(room, message)
    finally:
        room.discard(connection)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, max_size=64 * 1024) as server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
