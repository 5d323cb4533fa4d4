"""The chat consumers: protocol v1 at ``/ws/rooms/{room_id}/`` (docs/api.md)."""

from channels.consumer import AsyncConsumer
from channels.exceptions import StopConsumer

from realtime.consumers.room import RoomConsumer
from realtime.protocol import CLOSE_NOT_FOUND

__all__ = ["NoRoomConsumer", "RoomConsumer"]


class NoRoomConsumer(AsyncConsumer):
    """Any other WebSocket path: accept, then 4404 (no such room)."""

    async def websocket_connect(self, message) -> None:
        await self.send({"type": "websocket.accept"})
        await self.send({"type": "websocket.close", "code": CLOSE_NOT_FOUND})

    async def websocket_receive(self, message) -> None:
        pass

    async def websocket_disconnect(self, message) -> None:
        raise StopConsumer()
