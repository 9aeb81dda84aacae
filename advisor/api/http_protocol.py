"""uvicorn's HTTP protocol with a bounded request head: size and time.

uvicorn's httptools protocol keeps reading a request head for as long as a client sends it, and
waits for as long as a client takes: four 32 MB headers held 198 MB, and 500 half-sent requests
held 500 connections. This subclass answers 431 ``headers_too_large`` once a head passes
``ADVISOR_MAX_HEADER_BYTES`` (counted as the bytes arrive, so at most one read more is held) and
408 ``request_timeout`` when a head is not complete ``ADVISOR_READ_TIMEOUT_S`` seconds after the
connection opened or the previous response ended, closing the connection either way (an idle
keep-alive connection is closed sooner, by uvicorn's ``timeout_keep_alive``). The body
is bounded by ``advisor.api.limits``. Without httptools, uvicorn's h11 protocol is used with its
own head limit set to the same size (and no head timeout: put a proxy in front).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from advisor.config import Settings


def _response(status: int, reason: str, code: str, message: str) -> bytes:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


def uvicorn_http_options(settings: Settings) -> dict[str, Any]:
    """``uvicorn.run`` keyword arguments for a bounded request head."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # no httptools: h11 bounds the head by itself
        return {"http": "h11", "h11_max_incomplete_event_size": settings.max_header_bytes}

    limit, timeout = settings.max_header_bytes, settings.read_timeout_s
    too_large = _response(
        431, "Request Header Fields Too Large", "headers_too_large",
        f"the request head is over {limit} bytes (ADVISOR_MAX_HEADER_BYTES)",
    )
    too_slow = _response(
        408, "Request Timeout", "request_timeout",
        f"the request head did not arrive within {timeout:g} s (ADVISOR_READ_TIMEOUT_S)",
    )

    class BoundedHttpToolsProtocol(HttpToolsProtocol):  # type: ignore[misc]
        _head_open = True
        _head_bytes = 0
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._start_head()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_timer()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._head_open:
                self._head_bytes += len(data)
            super().data_received(data)
            if self._head_open and self._head_bytes > limit:
                self._refuse(too_large)

        def on_headers_complete(self) -> None:
            self._head_open = False
            self._stop_timer()
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._head_open, self._head_bytes = True, 0  # what comes next is the next head

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self._head_open:
                self._start_head()

        def _start_head(self) -> None:
            self._head_open = True
            self._stop_timer()
            self._head_timer = self.loop.call_later(timeout, self._refuse, too_slow)

        def _stop_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _refuse(self, response: bytes) -> None:
            """Answer and close, unless a response of the app is under way (keep-alive idle
            time between requests is uvicorn's own ``timeout_keep_alive``)."""
            self._stop_timer()
            if self.transport.is_closing():
                return
            if self.cycle is not None and not self.cycle.response_complete:
                return
            self._head_open = False
            self.transport.write(response)
            self.transport.close()

    return {"http": BoundedHttpToolsProtocol}
