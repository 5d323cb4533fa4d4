"""Over-long request lines and headers answered in the error contract.

daphne serves HTTP with Twisted's ``HTTPChannel``, which drops the connection
without a word when the request line is longer than 16 KiB (``MAX_LENGTH``)
and answers a bare ``400`` when all headers exceed 16 KiB. Clients then see a
network error. ``install()`` (called by ``backend.asgi``, so it runs in every
daphne process) makes daphne build channels that answer ``414`` and ``431``
with ``{"code", "message"}`` bodies instead; the limits stay Twisted's.
"""

import json

from twisted.web import http

REQUEST_LINE_MAX_BYTES = http.HTTPChannel.MAX_LENGTH
HEADERS_MAX_BYTES = http.HTTPChannel.totalHeadersSize
# After refusing, the rest of what the client is still sending is read and
# dropped for up to this long, so closing does not reset the connection
# before the client has read the answer.
DRAIN_SECONDS = 5


class LimitedHTTPChannel(http.HTTPChannel):
    _refused = False

    def _refuse(self, status: str, code: str, message: str) -> None:
        if self._refused:
            return
        self._refused = True
        body = json.dumps({"code": code, "message": message}).encode()
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        self.transport.write(head + body)
        # Stop parsing, half-close after the answer, drain what still arrives.
        self.setTimeout(None)
        self.dataReceived = lambda data: None  # type: ignore[method-assign]
        try:
            self.transport.loseWriteConnection()
        except AttributeError:  # not a TCP transport
            self.transport.loseConnection()
            return
        from twisted.internet import reactor

        reactor.callLater(DRAIN_SECONDS, self.transport.abortConnection)

    def rawDataReceived(self, data: bytes) -> None:
        if not self._refused:
            super().rawDataReceived(data)

    def lineLengthExceeded(self, line: bytes) -> None:
        if self._HTTPChannel__first_line:  # the request line (method, URL)
            self._refuse(
                "414 URI Too Long",
                "uri_too_long",
                f"The URL is too long (at most {REQUEST_LINE_MAX_BYTES} bytes).",
            )
        else:
            self._headers_too_large()

    def lineReceived(self, line: bytes) -> None:
        if self._refused:
            return
        if self._receivedHeaderSize + len(line) > self.totalHeadersSize:
            self._headers_too_large()
            return
        super().lineReceived(line)

    def _headers_too_large(self) -> None:
        self._refuse(
            "431 Request Header Fields Too Large",
            "headers_too_large",
            f"The request headers are too large (at most {HEADERS_MAX_BYTES} bytes).",
        )

    def _respondToBadRequestAndDisconnect(self) -> None:
        self._refuse("400 Bad Request", "bad_request", "The request is malformed.")


def _build_channel(factory) -> http._GenericHTTPChannelProtocol:
    return http._GenericHTTPChannelProtocol(LimitedHTTPChannel())


def install() -> None:
    """Make daphne's HTTP factory build ``LimitedHTTPChannel`` connections."""
    from daphne.http_protocol import HTTPFactory

    HTTPFactory.protocol = _build_channel
