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
import functools
import logging
import time
from urllib.parse import parse_qs

from channels.consumer import AsyncConsumer, get_handler_name
from channels.exceptions import StopConsumer
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils.translation import gettext as _

from backend.api.errors import ApiError, NotFound
from realtime import hops, protocol
from realtime.auth import SUBPROTOCOL
from realtime.events import member_group, room_group
from realtime.models import BODY_MAX_LENGTH
from realtime.payloads import render
from realtime.presence import Member, presence_store
from realtime.protocol import FrameError
from realtime.ratelimit import rate_limiter

logger = logging.getLogger(__name__)

TYPING_INTERVAL = 2.0  # seconds between relayed typing frames of one socket
READ_FLUSH_INTERVAL = 5.0  # seconds between read-marker writes of one socket
CATCHUP_DELAY = 0.25  # seconds a gap may stay open before the database fills it


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


class RoomConsumer(AsyncConsumer):
    open = False
    joined = False

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
        self.channel_name = await self.channel_layer.new_channel()
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

    # --- Connection ---------------------------------------------------------

    async def websocket_connect(self, message) -> None:
        self.delivered_seq = 0
        self.held: dict[int, str] = {}  # seq -> rendered message.new, out of order
        self.catchup = None
        self.strikes = 0.0
        self.strikes_at = time.monotonic()
        self.last_typing = 0.0
        self.read_seq = self.read_written = 0
        self.read_written_at = 0.0
        close_code = self.scope.get("auth_close_code")
        if close_code:
            return await self._reject(close_code)
        self.user = self.scope["user"]
        self.room_id = int(self.scope["url_route"]["kwargs"]["room_id"])
        after_seq, query_error = self._query_after_seq()

        # Join the groups before reading the room: a message stored meanwhile is
        # then either in what we read or relayed to us, never lost between.
        self.room_group = room_group(self.room_id)
        self.member_group = member_group(self.room_id, self.user.pk)
        await self.channel_layer.group_add(self.room_group, self.channel_name)
        await self.channel_layer.group_add(self.member_group, self.channel_name)
        self.joined = True
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

        self.room = context.room
        self.role = context.role
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
                "last_seq": context.last_seq,
                "online": online,
                "muted_until": _iso(context.muted_until),
                "limits": {
                    "body_max_chars": BODY_MAX_LENGTH,
                    "frame_max_bytes": protocol.FRAME_MAX_BYTES,
                    "rate_burst": settings.REALTIME_RATE_BURST,
                    "rate_per_second": settings.REALTIME_RATE_PER_SECOND,
                },
            }
        )
        if changed:
            await self._broadcast({"type": "presence", "online": online})
        if query_error:
            await self._client_error(query_error)
        self.delivered_seq = context.last_seq
        if after_seq is not None:
            await self._send_replay(context.replay, after_seq, context.last_seq)

    def _query_after_seq(self) -> tuple[int | None, FrameError | None]:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        if "after_seq" not in query:
            return None, None
        raw = query["after_seq"][0]
        if raw.isdigit() and len(raw) <= 18:
            return int(raw), None
        return None, FrameError(
            "invalid",
            _("Some of the input is not valid."),
            fields={"after_seq": [_("A whole number is required.")]},
        )

    async def _accept(self) -> None:
        accept = {"type": "websocket.accept"}
        if SUBPROTOCOL in (self.scope.get("subprotocols") or ()):
            accept["subprotocol"] = SUBPROTOCOL  # never the token
        await self.send(accept)

    async def _reject(self, code: int) -> None:
        # Accept first: a close before the handshake is a bare HTTP 403, and
        # apps could not tell "not allowed" from a network error.
        await self._accept()
        await self.send({"type": "websocket.close", "code": code})

    async def _close(self, code: int) -> None:
        if self.open:
            await self._goodbye()
            await self.send({"type": "websocket.close", "code": code})

    async def websocket_disconnect(self, message) -> None:
        await self._goodbye()
        await self._leave_groups()
        raise StopConsumer()

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
                await self._broadcast({"type": "presence", "online": online})
        except Exception:
            logger.exception("Cleanup of a socket in room %s failed", self.room_id)

    async def _leave_groups(self) -> None:
        if self.joined:
            self.joined = False
            await self.channel_layer.group_discard(self.room_group, self.channel_name)
            await self.channel_layer.group_discard(self.member_group, self.channel_name)

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

    async def _send_messages(self, payloads: list[dict]) -> None:
        for payload in payloads:
            await self._send({"type": "message.new", "message": payload})
            self.delivered_seq = max(self.delivered_seq, payload["seq"])
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
            payloads, _last = await hops.replay(
                room_id=self.room_id,
                after_seq=self.delivered_seq,
                upto_seq=first_held - 1,
            )
            await self._send_replay(payloads, self.delivered_seq, first_held - 1)
        await self._release_held()
        if self.held and self.catchup is None:
            self.catchup = asyncio.get_running_loop().call_later(
                CATCHUP_DELAY, self._request_catchup
            )

    async def _send_replay(self, payloads, after_seq: int, last_seq: int) -> None:
        if payloads is None:
            await self._send(
                {
                    "type": "resync_required",
                    "after_seq": after_seq,
                    "last_seq": last_seq,
                }
            )
            self.delivered_seq = max(self.delivered_seq, last_seq)
        else:
            await self._send_messages(payloads)

    # --- Relayed from the channel layer -------------------------------------

    async def room_message(self, event) -> None:
        if self.open:
            await self._deliver(event["seq"], event["text"])

    async def room_frame(self, event) -> None:
        if self.open and event.get("skip") != self.channel_name:
            await self._send_text(event["text"])

    async def room_kick(self, event) -> None:
        await self._close(protocol.CLOSE_FORBIDDEN)

    # --- Received from the client -------------------------------------------

    async def websocket_receive(self, message) -> None:
        if not self.open:
            return
        frame: dict = {}
        try:
            frame = protocol.parse(message.get("text"), message.get("bytes"))
            handler = self.HANDLERS.get(frame["type"])
            if handler is None:
                raise FrameError(
                    "unknown_type",
                    _("Unknown frame type %(type)s.") % {"type": frame["type"][:40]},
                )
            await handler(self, frame)
        except FrameError as error:
            await self._client_error(error, protocol.client_msg_id_of(frame))
        except ApiError as error:
            await self._client_error(
                FrameError(
                    error.code, error.message, fields=error.fields, **error.extra
                ),
                protocol.client_msg_id_of(frame),
            )
        except Exception:
            # A bug must not cost the user their connection; it is logged.
            logger.exception(
                "Frame %r failed in room %s", frame.get("type"), self.room_id
            )
            await self._send(
                protocol.error_frame(
                    "server_error",
                    _("Something went wrong on our side."),
                    client_msg_id=protocol.client_msg_id_of(frame),
                )
            )

    async def _client_error(
        self, error: FrameError, client_msg_id: str | None = None
    ) -> None:
        await self._send(
            protocol.error_frame(
                error.code,
                error.message,
                client_msg_id=client_msg_id,
                fields=error.fields,
                **error.extra,
            )
        )
        # Each rejected frame is a strike; strikes fade at one per second.
        now = time.monotonic()
        self.strikes = max(0.0, self.strikes - (now - self.strikes_at)) + 1
        self.strikes_at = now
        if self.strikes > settings.REALTIME_ABUSE_LIMIT:
            await self._close(protocol.CLOSE_ABUSE)

    async def _throttle(self) -> None:
        wait = await self.limiter.hit(f"{self.user.pk}:{self.room_id}")
        if wait > 0:
            retry_after = round(wait + 0.005, 2)
            raise FrameError(
                "rate_limited",
                _("Too many messages. Try again in %(seconds)s seconds.")
                % {"seconds": retry_after},
                retry_after=retry_after,
            )

    async def on_message_send(self, frame: dict) -> None:
        body = protocol.body(frame)
        client_msg_id = protocol.client_msg_id(frame)
        reply_to = protocol.optional_integer(frame, "reply_to", minimum=1)
        await self._throttle()
        payload, created = await hops.send_message(
            room_id=self.room_id,
            user=self.user,
            body=body,
            client_msg_id=client_msg_id,
            reply_to_id=reply_to,
        )
        text = render({"type": "message.new", "message": payload})
        if not created:
            # A retry: the original answers it, and nobody else hears of it.
            await self._send_text(text)
            return
        seq = payload["seq"]
        await self._deliver(seq, text)
        self.read_seq = max(self.read_seq, seq)
        await self.channel_layer.group_send(
            self.room_group, {"type": "room.message", "seq": seq, "text": text}
        )

    async def on_message_correct(self, frame: dict) -> None:
        message_id = protocol.integer(frame, "message_id", minimum=1)
        body = protocol.body(frame)
        await self._throttle()
        correction = await hops.correct_message(
            room_id=self.room_id, user=self.user, message_id=message_id, body=body
        )
        await self._broadcast({"type": "message.corrected", "correction": correction})

    async def on_message_delete(self, frame: dict) -> None:
        message_id = protocol.integer(frame, "message_id", minimum=1)
        await self._throttle()
        deleted, changed = await hops.delete_message(
            room_id=self.room_id, user=self.user, role=self.role, message_id=message_id
        )
        frame = {"type": "message.deleted", **deleted, "deleted_by": self.user.pk}
        if changed:
            await self._broadcast(frame)
        else:
            await self._send(frame)

    async def on_message_report(self, frame: dict) -> None:
        message_id = protocol.integer(frame, "message_id", minimum=1)
        reason = protocol.reason(frame)
        await self._throttle()
        await hops.report_message(
            room_id=self.room_id, user=self.user, message_id=message_id, reason=reason
        )
        await self._send({"type": "message.reported", "message_id": message_id})

    async def on_member_mute(self, frame: dict) -> None:
        user_id = protocol.integer(frame, "user_id", minimum=1)
        minutes = protocol.minutes(frame)
        await self._throttle()
        until = await hops.mute_member(
            room=self.room,
            actor=self.user,
            role=self.role,
            user_id=user_id,
            minutes=minutes,
        )
        await self._broadcast(
            {
                "type": "member.muted",
                "user_id": user_id,
                "until": _iso(until),
                "by": self.user.pk,
            }
        )

    async def on_resume(self, frame: dict) -> None:
        after_seq = protocol.integer(frame, "after_seq")
        await self._throttle()
        payloads, last_seq = await hops.replay(
            room_id=self.room_id, after_seq=after_seq
        )
        await self._send_replay(payloads, after_seq, last_seq)

    async def on_typing(self, frame: dict) -> None:
        now = time.monotonic()
        if now - self.last_typing < TYPING_INTERVAL:
            return  # "still typing" needs no repeating
        self.last_typing = now
        await self._broadcast(
            {
                "type": "typing",
                "user_id": self.user.pk,
                "display_name": self.member.name,
            },
            echo=False,
        )

    async def on_read(self, frame: dict) -> None:
        self.read_seq = max(self.read_seq, protocol.integer(frame, "seq"))
        await self._flush_read()

    async def _flush_read(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.read_seq <= self.read_written:
            return
        if not force and now - self.read_written_at < READ_FLUSH_INTERVAL:
            return  # coalesced: written by a later frame or on disconnect
        self.read_written, self.read_written_at = self.read_seq, now
        await hops.mark_read(room_id=self.room_id, user=self.user, seq=self.read_seq)

    async def on_ping(self, frame: dict) -> None:
        await self._send({"type": "pong"})

    HANDLERS = {
        "message.send": on_message_send,
        "message.correct": on_message_correct,
        "message.delete": on_message_delete,
        "message.report": on_message_report,
        "member.mute": on_member_mute,
        "resume": on_resume,
        "typing": on_typing,
        "read": on_read,
        "ping": on_ping,
    }


class NoRoomConsumer(AsyncConsumer):
    """Any other WebSocket path: accept, then 4404 (no such room)."""

    async def websocket_connect(self, message) -> None:
        await self.send({"type": "websocket.accept"})
        await self.send({"type": "websocket.close", "code": protocol.CLOSE_NOT_FOUND})

    async def websocket_receive(self, message) -> None:
        pass

    async def websocket_disconnect(self, message) -> None:
        raise StopConsumer()
