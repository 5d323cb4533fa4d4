"""The client frames of protocol v1: validation, rate limits, handlers.

A mixin of ``RoomConsumer``: every handler validates (``realtime.protocol``),
counts against the rate limit if it writes, makes at most one database hop, and
answers or broadcasts. Any error becomes an ``error`` frame; the socket lives.
"""

import logging
import time

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from backend.api.errors import ApiError
from backend.api.timefmt import iso_utc
from realtime import auth, hops, protocol
from realtime.payloads import render
from realtime.protocol import FrameError

logger = logging.getLogger(__name__)

TYPING_INTERVAL = 2.0  # seconds between relayed typing frames of one socket
READ_FLUSH_INTERVAL = 5.0  # seconds between read-marker writes of one socket
# Kicks travel through the channel layer, which delivers at most once: a socket
# that writes re-reads its access at least this often, so a lost kick cannot
# keep someone in a room for long.
ACCESS_RECHECK_SECONDS = 60.0


def _unavailable() -> tuple[type[BaseException], ...]:
    """Redis (presence, rate limits, the channel layer, the cache) did not
    answer. Without Redis its client is never imported: some 2 MiB of code an
    embedded server's every process would hold for nothing."""
    if not settings.REDIS_URL:
        return (OSError,)
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (RedisConnectionError, RedisTimeoutError, ConnectionInterrupted, OSError)


UNAVAILABLE = _unavailable()


class SocketClosed(Exception):
    """The handler closed the socket; nothing more to say."""


def iso(value) -> str | None:
    return iso_utc(value) if value else None


class FrameHandlers:
    async def websocket_receive(self, message) -> None:
        if not self.open:
            return
        # Errors in the user's interface language, as in the REST API.
        with translation.override(self.language):
            await self._receive(message)

    async def _receive(self, message) -> None:
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
        except SocketClosed:
            return
        except FrameError as error:
            await self._client_error(error, protocol.client_msg_id_of(frame))
        except ApiError as error:
            await self._client_error(
                FrameError(
                    error.code, error.message, fields=error.fields, **error.extra
                ),
                protocol.client_msg_id_of(frame),
            )
        except UNAVAILABLE as error:
            # The socket lives on; the app may retry (same client_msg_id).
            logger.warning(
                "Frame %r in room %s: Redis unavailable: %s",
                frame.get("type"),
                self.room_id,
                error,
            )
            await self._send(
                protocol.error_frame(
                    "service_unavailable",
                    _("The chat is unavailable for a moment. Try again shortly."),
                    client_msg_id=protocol.client_msg_id_of(frame),
                )
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
        """Every frame that writes passes here: the rate limit, and now and
        then a fresh look at the user's access (see ACCESS_RECHECK_SECONDS)."""
        wait = await self.limiter.hit(f"{self.user.pk}:{self.room_id}")
        if wait > 0:
            retry_after = round(wait + 0.005, 2)
            raise FrameError(
                "rate_limited",
                _("Too many messages. Try again in %(seconds)s seconds.")
                % {"seconds": retry_after},
                retry_after=retry_after,
            )
        if time.monotonic() - self.access_checked_at >= ACCESS_RECHECK_SECONDS:
            if not await auth.session_still_valid(
                session_key=self.session_key, user_id=self.user.pk
            ):
                # Logged out, deactivated, password changed: the 4401 close
                # (events.user_sockets_close) was lost, or raced the handshake.
                await self._close(protocol.CLOSE_NOT_AUTHENTICATED)
                raise SocketClosed
            role = await hops.current_role(room_id=self.room_id, user=self.user)
            self.access_checked_at = time.monotonic()
            if role is None:
                await self._close(protocol.CLOSE_FORBIDDEN)
                raise SocketClosed
            self.role = role

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
        # The service broadcast it to the room after commit; this socket gets
        # it at once (and skips the relayed copy by its seq).
        seq = payload["seq"]
        await self._deliver(seq, text)
        self.read_seq = max(self.read_seq, seq)

    async def on_message_correct(self, frame: dict) -> None:
        message_id = protocol.integer(frame, "message_id", minimum=1)
        body = protocol.body(frame)
        await self._throttle()
        # message.corrected reaches every socket, this one too, from the service.
        await hops.correct_message(
            room_id=self.room_id, user=self.user, message_id=message_id, body=body
        )

    async def on_message_delete(self, frame: dict) -> None:
        message_id = protocol.integer(frame, "message_id", minimum=1)
        await self._throttle()
        deleted, changed = await hops.delete_message(
            room_id=self.room_id, user=self.user, role=self.role, message_id=message_id
        )
        if not changed:
            # Deleted before: nobody else hears of it (the service broadcast
            # message.deleted the first time).
            await self._send(
                {"type": "message.deleted", **deleted, "deleted_by": self.user.pk}
            )

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
        # member.muted reaches every socket, this one too, from the service.
        await hops.mute_member(
            room_id=self.room_id,
            actor=self.user,
            role=self.role,
            user_id=user_id,
            minutes=minutes,
        )

    async def on_resume(self, frame: dict) -> None:
        after_seq = protocol.integer(frame, "after_seq")
        await self._throttle()
        messages, last_seq = await hops.replay(
            room_id=self.room_id, after_seq=after_seq
        )
        await self._send_replay(messages, after_seq, last_seq)

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
