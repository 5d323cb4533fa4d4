"""A consumer base with a cheaper event loop than Channels' AsyncConsumer."""

import asyncio
import functools
import logging

from channels.consumer import AsyncConsumer, get_handler_name
from channels.exceptions import StopConsumer
from channels.layers import get_channel_layer

from realtime.protocol import CLOSE_UNAVAILABLE

logger = logging.getLogger(__name__)


class LoopConsumer(AsyncConsumer):
    async def __call__(self, scope, receive, send) -> None:
        """AsyncConsumer.__call__ with a cheaper event loop.

        Channels' ``await_many_dispatch`` runs ``asyncio.wait`` and creates a
        new task for every event, and a relayed broadcast is one event per
        socket per message. Here two long-lived pumps (client frames, channel
        layer) each dispatch what they receive under one lock, so events are
        still handled one at a time, and an uncontended lock costs no switch.
        A pump waits while its event is handled: back-pressure on the layer.
        """
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        # Sockets get channels that need no Redis subscription of their own
        # where the layer offers them (realtime.pubsub_layer).
        new_channel = getattr(self.channel_layer, "new_local_channel", None)
        try:
            self.channel_name = await (new_channel or self.channel_layer.new_channel)()
        except Exception:
            # The layer (Redis) is down: a close code the app retries with
            # backoff, not a bare HTTP 500 handshake.
            logger.exception("No channel for a new socket")
            await receive()  # websocket.connect
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": CLOSE_UNAVAILABLE})
            return
        self.base_send = send
        lock = asyncio.Lock()

        async def pump(source) -> None:
            while True:
                message = await source()
                async with lock:
                    await self.dispatch(message)

        pumps = [
            asyncio.ensure_future(pump(receive)),
            asyncio.ensure_future(
                pump(functools.partial(self.channel_layer.receive, self.channel_name))
            ),
        ]
        try:
            done, _pending = await asyncio.wait(
                pumps, return_when=asyncio.FIRST_EXCEPTION
            )
        finally:
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
        for task in done:
            error = task.exception()
            if error is not None and not isinstance(error, StopConsumer):
                raise error

    async def dispatch(self, message) -> None:
        # Channels' own dispatch awaits ``aclose_old_connections()`` (a trip to
        # the thread pool) before EVERY event, i.e. once per delivered chat
        # message; our database work goes through ``db_hop``, which does that
        # housekeeping itself, so relaying a broadcast stays on the event loop.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
