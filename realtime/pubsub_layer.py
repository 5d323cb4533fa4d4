"""channels_redis' pub/sub layer, with fewer Redis subscriptions per socket
(the production layer with REDIS_URL; ``realtime.layers`` has the embedded
one).

Each subscription is a SUBSCRIBE when a socket opens and an UNSUBSCRIBE when
it closes: a round trip each, under the shard's lock that every publish of the
process also takes (docs/performance.md, issue 14). Two kinds need none:

- **A socket's own channel** (``new_local_channel``). A room socket is sent
  nothing by name from another process, only to its groups, and its own
  process reaches it directly.
- **Groups of rare events** (``process_wide_groups``, name prefixes: the
  users' groups, which hear kicks and log-outs). They share one subscription
  per process; a message names its group and each process hands it to that
  group's sockets, if it has any. Every process receives every such event,
  which is fine for events a user causes now and then, not for chat traffic.
"""

import asyncio
import uuid

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close, decode_hosts

_SEPARATOR = b"\n"  # between a process-wide message's group and its data


class _Shard(RedisSingleShardConnection):
    def _receive_message(self, message):
        layer = self.channel_layer
        # Every message the process hears passes here: the names are made once.
        if message is None or message["channel"] not in layer.shared_channel_names:
            return super()._receive_message(message)
        group, _, data = message["data"].partition(_SEPARATOR)
        for channel in layer.groups.get(group.decode(), ()):
            queue = layer.channels.get(channel)
            if queue is not None:
                queue.put_nowait(data)


class _PubSubLoopLayer(RedisPubSubLoopLayer):
    LOCAL = "local."

    def __init__(self, hosts=None, *, process_wide_groups=(), **kwargs):
        super().__init__(hosts, **kwargs)
        self._shards = [_Shard(host, self) for host in decode_hosts(hosts)]
        self.process_wide_groups = tuple(process_wide_groups)
        self.shared_channel = f"{self.prefix}__process_wide__"
        # As redis-py gives it: bytes, or str with decode_responses.
        self.shared_channel_names = (self.shared_channel, self.shared_channel.encode())

    def _process_wide(self, group: str) -> bool:
        return group.startswith(self.process_wide_groups)

    async def new_local_channel(self) -> str:
        """A channel reached through its groups and from its own process."""
        channel = f"{self.prefix}{self.LOCAL}{uuid.uuid4().hex}"
        self.channels[channel] = asyncio.Queue()
        return channel

    async def send(self, channel, message):
        if not channel.startswith(self.prefix + self.LOCAL):
            return await super().send(channel, message)
        queue = self.channels.get(channel)
        if queue is not None:  # else it closed: as a publish nobody hears
            # Serialized as a publish is: the receiver gets its own copy.
            queue.put_nowait(self.channel_layer.serialize(message))

    async def group_add(self, group, channel):
        if not self._process_wide(group):
            return await super().group_add(group, channel)
        if channel not in self.channels:
            raise RuntimeError("group_add() takes channels of this process only")
        self.groups.setdefault(self._get_group_channel_name(group), set()).add(channel)
        # Kept while the process lives: one subscription, whoever comes and goes.
        await self._get_shard(self.shared_channel).subscribe(self.shared_channel)

    async def group_discard(self, group, channel):
        if not self._process_wide(group):
            return await super().group_discard(group, channel)
        name = self._get_group_channel_name(group)
        members = self.groups.get(name, set())
        members.discard(channel)
        if not members:
            self.groups.pop(name, None)

    async def group_send(self, group, message):
        if not self._process_wide(group):
            return await super().group_send(group, message)
        data = self.channel_layer.serialize(message)
        name = self._get_group_channel_name(group).encode()
        shard = self._get_shard(self.shared_channel)
        await shard.publish(self.shared_channel, name + _SEPARATOR + data)


class PubSubChannelLayer(RedisPubSubChannelLayer):
    """channels_redis' pub/sub layer with process-local socket channels and
    process-wide groups (the module's docstring)."""

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _PubSubLoopLayer(
                *self._args, **self._kwargs, channel_layer=self
            )
            _wrap_close(self, loop)
        return layer
