"""The in-memory channel layer and the presence stores, on their own."""

import time

import pytest
from channels.exceptions import ChannelFull

from realtime import presence
from realtime.layers import InMemoryChannelLayer
from realtime.presence import LocalPresence, Member, RedisPresence


async def test_layer_delivers_group_messages_as_separate_copies():
    layer = InMemoryChannelLayer()
    a, b = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room.1", a)
    await layer.group_add("room.1", b)
    await layer.group_send("room.1", {"type": "room.frame", "text": "hi"})
    got_a, got_b = await layer.receive(a), await layer.receive(b)
    assert got_a == got_b == {"type": "room.frame", "text": "hi"}
    got_a["text"] = "changed"
    assert got_b["text"] == "hi"


async def test_layer_capacity_drops_for_a_full_receiver_only():
    layer = InMemoryChannelLayer(capacity=1)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    for channel in (slow, fast):
        await layer.group_add("room.1", channel)
    await layer.group_send("room.1", {"type": "m", "n": 1})
    assert await layer.receive(fast) == {"type": "m", "n": 1}
    await layer.group_send("room.1", {"type": "m", "n": 2})  # slow is full
    assert await layer.receive(fast) == {"type": "m", "n": 2}
    assert await layer.receive(slow) == {"type": "m", "n": 1}
    await layer.send(fast, {"type": "m", "n": 3})
    with pytest.raises(ChannelFull):
        await layer.send(fast, {"type": "m", "n": 4})


async def test_layer_expires_old_messages_and_their_channels_groups():
    layer = InMemoryChannelLayer(expiry=0, sweep_interval=0)
    gone, alive = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("room.1", gone)
    await layer.send(gone, {"type": "m"})
    time.sleep(0.01)
    await layer.send(alive, {"type": "m"})
    await layer.group_send("room.2", {"type": "m"})  # triggers a sweep
    assert gone not in layer.groups.get("room.1", {})


async def test_local_presence_counts_users_and_forgets_the_dead(monkeypatch):
    store = LocalPresence()
    phone = Member(1, "c1", "Olena")
    laptop = Member(1, "c2", "Olena")
    janis = Member(2, "c3", "Jānis")
    assert (await store.join(7, phone))[1] is True
    assert (await store.join(7, laptop))[1] is False  # Olena was online
    online, changed = await store.join(7, janis)
    assert changed and [u["user_id"] for u in online] == [2, 1]
    assert (await store.leave(7, phone))[1] is False
    # A crashed process stops refreshing: its entries expire.
    monkeypatch.setattr(presence, "TTL_SECONDS", -1)
    await store._touch([((7, "c3"), janis)])
    assert [u["user_id"] for u in await store.online(7)] == [1]


@pytest.mark.services
async def test_redis_presence_is_shared_and_expires():
    one, other = RedisPresence(), RedisPresence()  # two processes
    await one.join(9, Member(1, "p1.c1", "Olena"))
    online, changed = await other.join(9, Member(2, "p2.c1", "Jānis"))
    assert changed and {u["user_id"] for u in online} == {1, 2}
    # The first process crashed: its entry was last refreshed long ago.
    stale = Member(1, "p1.c1", "Olena").encode()
    await presence.redis_client().zadd(other._key(9), {stale: time.time() - 1})
    assert [u["user_id"] for u in await other.online(9)] == [2]


@pytest.mark.services
async def test_redis_socket_cap_refreshes_this_process_sockets_together():
    from realtime.socketcap import RedisSocketCap

    cap = RedisSocketCap()
    key = cap._key(41)
    client = presence.redis_client()
    await client.delete(key)
    for socket in ("p1.a", "p1.b", "p1.c"):
        assert await cap.acquire(41, socket)
    await cap.release(41, "p1.c")
    # An hour ago, as if this process had stopped refreshing them.
    stale = time.time() - 3600
    await client.zadd(key, {"p1.a": stale, "p1.b": stale})
    await client.script_flush()  # Redis restarted: the script is loaded again

    await cap._touch()

    expires = dict(await client.zrange(key, 0, -1, withscores=True))
    assert set(expires) == {"p1.a", "p1.b"}  # the released one stays gone
    assert all(score > time.time() for score in expires.values())
    await client.delete(key)
