"""The room consumer: protocol v1 at ``/ws/rooms/{room_id}/`` (docs/api.md).

Hot-path rules: the user is authenticated and the room loaded once per
connection; a frame that writes costs one thread-pool hop (``realtime.hops``);
a broadcast is rendered to JSON once by its sender and every recipient sends
that text as is; frames that need no database (typing, presence, ping, relayed
broadcasts) never leave the event loop.

Ordering: every socket tracks ``delivered_seq``, the highest message ``seq`` it
has sent. A message at or below it is a duplicate and is skipped; one above
``delivered_seq + 1`` (the layer reordered or lost some, or our own message
overtook others' still queued for us) is held back. Held messages are released
as soon as the gap closes; if it is still open after ``CATCHUP_DELAY``, the
missing ones are read from the database. So a socket's stream of
``message.new`` frames is gap-free and in order (except right after a
``resync_required``, which tells the app to page through history).
"""

import asyncio
import logging
import time
from urllib.parse import parse_qs

from channels.exceptions import StopConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from backend.api.errors import ApiError, NotFound
from realtime import auth, hops, protocol
from realtime.auth import SUBPROTOCOL
from realtime.consumers.base import LoopConsumer
from realtime.consumers.frames import FrameHandlers, iso
from realtime.events import room_group, session_digest, user_group
from realtime.models import BODY_MAX_LENGTH
from realtime.payloads import message_new_frame, render, replay_frames
from realtime.presence import Member, presence_store
from realtime.presence_frames import presence_changed
from realtime.protocol import FrameError
from realtime.ratelimit import rate_limiter
from realtime.rendered import Rendered
from realtime.socketcap import socket_cap

logger = logging.getLogger(__name__)

CATCHUP_DELAY = 0.25  # seconds a gap may stay open before the database fills it


class RoomConsumer(FrameHandlers, LoopConsumer):
    open = False
    joined = False
    counted = False  # in the user's socket cap
    accepted = False
    batch_replay = False  # ?replay=batch: replays as message.replay frames

    # --- Connection ---------------------------------------------------------

    async def websocket_connect(self, message) -> None:
        try:
            await self._connect()
        except Exception:
            # Redis or the database did not answer while joining: a close code
            # the app retries with backoff, never a bare HTTP 500 handshake.
            logger.exception("A socket could not join room %s", self.scope["path"])
            if self.open:
                await self._close(protocol.CLOSE_UNAVAILABLE)
            else:
                await self._reject(protocol.CLOSE_UNAVAILABLE)

    async def _connect(self) -> None:
        self.delivered_seq = 0
        self.held: dict[int, str] = {}  # seq -> rendered message.new, out of order
        self.catchup = None
        self.strikes = 0.0
        self.strikes_at = time.monotonic()
        self.last_typing = 0.0
        self.read_seq = self.read_written = 0
        self.read_written_at = 0.0
        candidates, close_code = auth.handshake_credentials(self.scope)
        if close_code:
            return await self._reject(close_code)
        # Accepted before the checks, which answer with hello or a close code:
        # daphne refuses a handshake not accepted within 5 s, and when
        # thousands reconnect at once (a restart) the wait for a turn is
        # longer; every refusal came back as a retry, more work on top.
        await self._accept()
        user, self.session_key = await auth.authenticate(candidates)
        if user is None:
            return await self._reject(protocol.CLOSE_NOT_AUTHENTICATED)
        self.user = user
        if not await socket_cap().acquire(self.user.pk, self.channel_name):
            return await self._reject(protocol.CLOSE_TOO_MANY_SOCKETS)
        self.counted = True
        self.language = self.user.interface_language or settings.LANGUAGE_CODE
        self.room_id = int(self.scope["url_route"]["kwargs"]["room_id"])
        with translation.override(self.language):
            after_seq, self.batch_replay, query_error = self._query()

        # Join the groups before reading the room: a message stored meanwhile is
        # then either in what we read or relayed to us, never lost between.
        self.room_group = room_group(self.room_id)
        # The user's group: kicks out of this room, and sessions ending.
        self.user_group = user_group(self.user.pk)
        self.session_digest = session_digest(self.session_key)
        self.joined = True
        for group in self._groups():
            await self.channel_layer.group_add(group, self.channel_name)
        try:
            context = await hops.connect_context(
                room_id=self.room_id, user=self.user, after_seq=after_seq
            )
        except ApiError as error:
            await self._leave_groups()
            code = (
                protocol.CLOSE_NOT_FOUND
                if isinstance(error, NotFound)
                else protocol.CLOSE_FORBIDDEN
            )
            return await self._reject(code)

        join = context.join
        self.role = join.role
        self.access_checked_at = time.monotonic()
        self.limiter = rate_limiter()
        self.member = Member(
            self.user.pk, self.channel_name, str(self.user.public_name)
        )
        await self._accept()
        self.open = True
        online, changed = await presence_store().join(self.room_id, self.member)
        await self._send(
            {
                "type": "hello",
                "protocol": SUBPROTOCOL,
                "room_id": self.room_id,
                "user_id": self.user.pk,
                "role": self.role,
                "last_seq": join.last_seq,
                "online": online,
                "muted_until": iso(join.muted_until),
                "limits": {
                    "body_max_chars": BODY_MAX_LENGTH,
                    "frame_max_bytes": protocol.FRAME_MAX_BYTES,
                    "rate_burst": settings.REALTIME_RATE_BURST,
                    "rate_per_second": settings.REALTIME_RATE_PER_SECOND,
                },
            }
        )
        if changed:
            presence_changed(self.room_id, online=len(online))
        if query_error:
            await self._client_error(query_error)
        self.delivered_seq = join.last_seq
        if after_seq is not None:
            await self._send_replay(context.replay, after_seq, join.last_seq)

    def _query(self) -> tuple[int | None, bool, FrameError | None]:
        """``?after_seq=N`` and ``?replay=batch`` of the URL, or what is wrong
        with them (the socket still opens, without that part)."""
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        fields = {}
        batch = False
        if "replay" in query:
            batch = query["replay"][0] == "batch"
            if not batch:
                fields["replay"] = [_("The only value is batch.")]
        after_seq = None
        if "after_seq" in query:
            raw = query["after_seq"][0]
            if raw.isdigit() and len(raw) <= 18:
                after_seq = int(raw)
            else:
                fields["after_seq"] = [_("A whole number is required.")]
        error = None
        if fields:
            error = FrameError(
                "invalid", _("Some of the input is not valid."), fields=fields
            )
        return after_seq, batch, error

    async def _accept(self) -> None:
        if self.accepted:
            return
        self.accepted = True
        accept = {"type": "websocket.accept"}
        if SUBPROTOCOL in (self.scope.get("subprotocols") or ()):
            accept["subprotocol"] = SUBPROTOCOL  # never the token
        await self.send(accept)

    async def _reject(self, code: int) -> None:
        # Accept first: a close before the handshake is a bare HTTP 403, and
        # apps could not tell "not allowed" from a network error.
        await self._uncount()
        await self._accept()
        await self.send({"type": "websocket.close", "code": code})

    async def _close(self, code: int) -> None:
        if self.open:
            await self._goodbye()
            await self._uncount()
            await self.send({"type": "websocket.close", "code": code})

    async def websocket_disconnect(self, message) -> None:
        await self._goodbye()
        await self._leave_groups()
        await self._uncount()
        raise StopConsumer()

    async def _uncount(self) -> None:
        # As soon as we close: a client slow to finish the closing handshake
        # must not keep the place.
        if self.counted:
            self.counted = False
            try:
                await socket_cap().release(self.user.pk, self.channel_name)
            except Exception:  # the entry expires by itself (socketcap.py)
                logger.exception("Could not uncount a socket of %s", self.user.pk)

    async def _goodbye(self) -> None:
        if not self.open:
            return
        self.open = False
        if self.catchup is not None:
            self.catchup.cancel()
        try:
            await self._flush_read(force=True)
            online, changed = await presence_store().leave(self.room_id, self.member)
            if changed:
                presence_changed(self.room_id, online=len(online))
        except Exception:
            logger.exception("Cleanup of a socket in room %s failed", self.room_id)

    def _groups(self) -> list[str]:
        return [self.room_group, self.user_group]

    async def _leave_groups(self) -> None:
        if self.joined:
            self.joined = False
            try:
                for group in self._groups():
                    await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # Redis is down; its subscriptions die with it
                logger.exception("A socket could not leave room %s", self.room_id)

    # --- Sending ------------------------------------------------------------

    async def _send_text(self, text: str) -> None:
        await self.send({"type": "websocket.send", "text": text})

    async def _send(self, frame: dict) -> None:
        await self._send_text(render(frame))

    async def _broadcast(self, frame: dict, *, echo: bool = True) -> None:
        """Render once; send to this socket directly, to the others via the
        layer (skipping this socket, which already has it)."""
        text = render(frame)
        if echo:
            await self._send_text(text)
        await self.channel_layer.group_send(
            self.room_group,
            {"type": "room.frame", "text": text, "skip": self.channel_name},
        )

    async def _send_messages(self, messages: list[Rendered]) -> None:
        if self.batch_replay:
            # One frame per batch instead of one per message: most of a long
            # replay's cost was the frames, not the messages (docs/api.md).
            for last_seq, text in replay_frames(messages):
                await self._send_text(text)
                self.delivered_seq = max(self.delivered_seq, last_seq)
        else:
            for seq, text in messages:
                await self._send_text(message_new_frame(text))
                self.delivered_seq = max(self.delivered_seq, seq)
        await self._release_held()

    async def _deliver(self, seq: int, text: str) -> None:
        """Send a message.new in seq order (see the module docstring)."""
        if seq <= self.delivered_seq:
            return  # already sent (our own, a replay, or a fill)
        if seq == self.delivered_seq + 1:
            await self._send_text(text)
            self.delivered_seq = seq
            if self.held:
                await self._release_held()
            return
        self.held[seq] = text
        if self.catchup is None:
            self.catchup = asyncio.get_running_loop().call_later(
                CATCHUP_DELAY, self._request_catchup
            )

    async def _release_held(self) -> None:
        while self.delivered_seq + 1 in self.held:
            self.delivered_seq += 1
            await self._send_text(self.held.pop(self.delivered_seq))
        for seq in [s for s in self.held if s <= self.delivered_seq]:
            del self.held[seq]

    def _request_catchup(self) -> None:
        # Through our own channel, so the fill runs in turn with other events.
        self.catchup_request = asyncio.ensure_future(
            self.channel_layer.send(self.channel_name, {"type": "room.catchup"})
        )

    async def room_catchup(self, event) -> None:
        self.catchup = None
        if not self.open or not self.held:
            return
        first_held = min(self.held)
        if first_held > self.delivered_seq + 1:
            messages, _last = await hops.replay(
                room_id=self.room_id,
                after_seq=self.delivered_seq,
                upto_seq=first_held - 1,
            )
            await self._send_replay(messages, self.delivered_seq, first_held - 1)
        await self._release_held()
        if self.held and self.catchup is None:
            self.catchup = asyncio.get_running_loop().call_later(
                CATCHUP_DELAY, self._request_catchup
            )

    async def _send_replay(self, messages, after_seq: int, last_seq: int) -> None:
        if messages is None:
            await self._send(
                {
                    "type": "resync_required",
                    "after_seq": after_seq,
                    "last_seq": last_seq,
                }
            )
            self.delivered_seq = max(self.delivered_seq, last_seq)
        else:
            await self._send_messages(messages)

    # --- Relayed from the channel layer -------------------------------------

    async def room_message(self, event) -> None:
        if self.open:
            await self._deliver(event["seq"], event["text"])

    async def room_frame(self, event) -> None:
        if self.open and event.get("skip") != self.channel_name:
            await self._send_text(event["text"])

    async def room_kick(self, event) -> None:
        if event.get("room_id") == self.room_id:
            await self._close(protocol.CLOSE_FORBIDDEN)

    async def session_end(self, event) -> None:
        # Logged out (this log-in, or another of the user's: then the event
        # names a session that is not ours), password changed, deactivated or
        # deleted (no session named: all of them).
        session = event.get("session")
        if session is None or session == self.session_digest:
            await self._close(protocol.CLOSE_NOT_AUTHENTICATED)

    # --- Received from the client -------------------------------------------
