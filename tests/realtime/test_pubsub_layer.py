"""The production channel layer (``realtime.pubsub_layer``) against real Redis:
sockets' channels and users' groups cost no subscription of their own."""

import asyncio

import pytest
from django.conf import settings
from redis import asyncio as aioredis

from realtime.pubsub_layer import PubSubChannelLayer

pytestmark = pytest.mark.services


def make_layer(prefix: str) -> PubSubChannelLayer:
    return PubSubChannelLayer(
        hosts=[{"address": settings.REDIS_URL}],
        prefix=prefix,
        process_wide_groups=["user."],
    )


@pytest.fixture
async def layers():
    prefix = f"{settings.REDIS_PREFIX}:layertest"
    one, other = make_layer(prefix), make_layer(prefix)  # two processes
    yield one, other, prefix
    await one.flush()
    await other.flush()


async def subscriptions(prefix: str) -> list[str]:
    client = aioredis.Redis.from_url(settings.REDIS_URL, decode_responses=True)
    try:
        return sorted(await client.pubsub_channels(f"{prefix}*"))
    finally:
        await client.aclose()


async def receive(layer, channel):
    return await asyncio.wait_for(layer.receive(channel), 5)


async def test_a_local_channel_hears_its_groups_from_every_process(layers):
    one, other, prefix = layers
    socket = await one.new_local_channel()
    await one.group_add("room.1", socket)
    assert await subscriptions(prefix) == [f"{prefix}__group__room.1"]

    await other.group_send("room.1", {"type": "room.frame", "text": "sveiki"})
    assert await receive(one, socket) == {"type": "room.frame", "text": "sveiki"}


async def test_a_local_channel_takes_its_own_process_sends_as_copies(layers):
    one, _other, prefix = layers
    socket = await one.new_local_channel()
    message = {"type": "room.catchup", "seqs": [1, 2]}
    await one.send(socket, message)
    got = await receive(one, socket)
    assert got == message and got is not message
    assert await subscriptions(prefix) == []


async def test_a_closed_local_channel_drops_what_is_sent_to_it(layers):
    one, _other, _prefix = layers
    socket = await one.new_local_channel()
    waiting = asyncio.ensure_future(one.receive(socket))
    await asyncio.sleep(0)
    waiting.cancel()  # the consumer ended
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await one.send(socket, {"type": "room.catchup"})  # no error, nothing kept
    assert socket not in one._get_layer().channels


async def test_new_channel_still_subscribes_for_sends_by_name(layers):
    one, other, prefix = layers
    probe = await one.new_channel(prefix="readyz")
    assert await subscriptions(prefix) == [probe]
    await other.send(probe, {"type": "readyz.ping"})
    assert await receive(one, probe) == {"type": "readyz.ping"}


async def test_users_groups_share_one_subscription_and_reach_only_their_sockets(
    layers,
):
    one, other, prefix = layers
    olena_phone, janis = await one.new_local_channel(), await one.new_local_channel()
    olena_laptop = await other.new_local_channel()
    await one.group_add("user.7", olena_phone)
    await one.group_add("user.8", janis)
    await other.group_add("user.7", olena_laptop)
    assert await subscriptions(prefix) == [f"{prefix}__process_wide__"]

    kick = {"type": "room.kick", "room_id": 3}
    await other.group_send("user.7", kick)
    assert await receive(one, olena_phone) == kick
    assert await receive(other, olena_laptop) == kick
    await one.group_send("user.8", {"type": "session.end", "session": None})
    assert await receive(one, janis) == {"type": "session.end", "session": None}
    with pytest.raises(TimeoutError):  # Olena's sockets heard only hers
        await asyncio.wait_for(one.receive(olena_phone), 0.2)


async def test_a_socket_that_left_its_users_group_hears_no_more(layers):
    one, other, _prefix = layers
    socket, stays = await one.new_local_channel(), await one.new_local_channel()
    await one.group_add("user.7", socket)
    await one.group_add("user.9", stays)
    await one.group_discard("user.7", socket)
    await other.group_send("user.7", {"type": "room.kick", "room_id": 3})
    await other.group_send("user.9", {"type": "room.kick", "room_id": 4})
    # Published in order on one connection: the first was dropped, not late.
    assert await receive(one, stays) == {"type": "room.kick", "room_id": 4}
    assert one._get_layer().channels[socket].empty()


async def test_rooms_groups_keep_their_own_subscriptions(layers):
    one, _other, prefix = layers
    socket = await one.new_local_channel()
    await one.group_add("room.5", socket)
    await one.group_add("user.7", socket)
    assert await subscriptions(prefix) == [
        f"{prefix}__group__room.5",
        f"{prefix}__process_wide__",
    ]
    await one.group_discard("room.5", socket)
    assert await subscriptions(prefix) == [f"{prefix}__process_wide__"]
