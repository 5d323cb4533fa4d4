"""An in-memory channel layer whose cost per message does not grow with users.

The stock ``channels.layers.InMemoryChannelLayer`` runs ``_clean_expired`` (a
scan of every channel and every group membership) on every ``receive`` and
every ``group_send``, deep-copies the message once per recipient and makes an
asyncio task per recipient. With N sockets that is O(N) work per receive, so a
broadcast to one room of 20 costs O(20 * N). This subclass keeps the API and
the semantics (capacity, message expiry, group expiry) but:

- sweeps expired messages and groups at most once per ``sweep_interval``
  seconds (amortized O(1) per operation; expiry is coarse by that much);
- copies each message shallowly (a new dict per recipient; values are shared,
  and channel-layer messages are plain data that nobody mutates);
- delivers a group message with a plain loop of ``put_nowait``.

Use it for the embedded single-process mode; several processes need Redis.
"""

import asyncio
import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as StockInMemoryChannelLayer


class InMemoryChannelLayer(StockInMemoryChannelLayer):
    def __init__(self, *args, sweep_interval: float = 1.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sweep_interval = sweep_interval
        self._next_sweep = 0.0

    def _maybe_clean_expired(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.sweep_interval
            self._clean_expired()

    def _put(self, channel: str, message: dict, expires: float) -> None:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(
                maxsize=self.get_capacity(channel)
            )
        try:
            queue.put_nowait((expires, dict(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._put(channel, message, time.time() + self.expiry)

    async def receive(self, channel):
        self.require_valid_channel_name(channel)
        self._maybe_clean_expired()
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(
                maxsize=self.get_capacity(channel)
            )
        try:
            _expires, message = await queue.get()
        finally:
            if queue.empty() and self.channels.get(channel) is queue:
                del self.channels[channel]
        return message

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._maybe_clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        expires = time.time() + self.expiry
        for channel in list(members):
            try:  # noqa: SIM105 (suppress() costs more per recipient)
                self._put(channel, message, expires)
            except ChannelFull:
                pass  # at most once: a full (slow) receiver misses this one
