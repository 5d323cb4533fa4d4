"""Helpers for WebSocket tests: a client that collects frames by type."""

import contextlib
import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from realtime.routing import websocket_application
from tests.conftest import session_token_for

BACKGROUND = {"presence", "typing"}


class Client:
    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.communicator = communicator
        self.hello: dict | None = None

    async def send(self, frame) -> None:
        if isinstance(frame, (dict, list)):
            await self.communicator.send_json_to(frame)
        elif isinstance(frame, bytes):
            await self.communicator.send_to(bytes_data=frame)
        else:
            await self.communicator.send_to(text_data=frame)

    async def recv(self, *types: str, timeout: float = 3) -> dict:
        """The next frame of one of ``types`` (any type if none given),
        skipping presence and typing frames unless they are asked for."""
        while True:
            output = await self.communicator.receive_output(timeout)
            if output["type"] == "websocket.close":
                raise AssertionError(f"closed with {output.get('code')}")
            frame = json.loads(output["text"])
            if types and frame["type"] in types:
                return frame
            if not types and frame["type"] not in BACKGROUND:
                return frame
            if frame["type"] not in BACKGROUND:
                raise AssertionError(f"expected {types}, got {frame}")

    async def presence_becomes(self, user_ids: list[int]) -> list[dict]:
        """Read presence frames until the online users are ``user_ids``."""
        while True:
            online = (await self.recv("presence"))["online"]
            if sorted(u["user_id"] for u in online) == sorted(user_ids):
                return online

    async def messages(self, count: int) -> list[dict]:
        return [(await self.recv("message.new"))["message"] for _ in range(count)]

    async def closed_with(self, timeout: float = 3) -> int:
        while True:
            output = await self.communicator.receive_output(timeout)
            if output["type"] == "websocket.close":
                return output.get("code")

    async def nothing(self) -> bool:
        """No frame other than presence/typing is waiting."""
        while not await self.communicator.receive_nothing(timeout=0.05):
            output = await self.communicator.receive_output()
            if output["type"] != "websocket.send":
                return False
            if json.loads(output["text"])["type"] not in BACKGROUND:
                return False
        return True


class Connector:
    """Opens sockets; the fixture closes every one it opened."""

    def __init__(self) -> None:
        self.opened: list[WebsocketCommunicator] = []

    async def open(
        self,
        path: str,
        *,
        user=None,
        via: str = "header",
        origin: str | None = None,
        headers: list | None = None,
        subprotocols: list[str] | None = None,
    ) -> tuple[WebsocketCommunicator, bool, object]:
        headers = list(headers or [])
        subprotocols = list(subprotocols or [])
        if user is not None:
            token = await database_sync_to_async(session_token_for)(user)
            if via == "header":
                headers.append((b"x-session-token", token.encode()))
            elif via == "subprotocol":
                subprotocols += ["runa.v1", f"token.{token}"]
            elif via == "cookie":
                headers.append((b"cookie", f"sessionid={token}".encode()))
        if origin is not None:
            headers.append((b"origin", origin.encode()))
        if not any(name == b"host" for name, _value in headers):
            headers.append((b"host", b"testserver"))  # as every browser sends
        communicator = WebsocketCommunicator(
            websocket_application, path, headers=headers, subprotocols=subprotocols
        )
        self.opened.append(communicator)
        connected, subprotocol = await communicator.connect(timeout=3)
        return communicator, connected, subprotocol

    async def join(self, session, user, *, query: str = "", **kwargs) -> Client:
        path = f"/ws/rooms/{session.pk}/" + (f"?{query}" if query else "")
        communicator, connected, _ = await self.open(path, user=user, **kwargs)
        assert connected
        client = Client(communicator)
        client.hello = await client.recv("hello")
        return client

    async def refused(self, path: str, **kwargs) -> int:
        communicator, connected, _ = await self.open(path, **kwargs)
        assert connected  # accepted, then closed with a code apps can read
        return await Client(communicator).closed_with()

    async def close_all(self) -> None:
        for communicator in self.opened:
            with contextlib.suppress(Exception):  # already gone
                await communicator.disconnect()
