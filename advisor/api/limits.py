"""Request bodies, bounded on every route: size, time to arrive, and valid text in API JSON.

A pure ASGI middleware in front of the whole app (the API and the Gradio page mounted at ``/``).
It reads the body up front, answering 413 ``body_too_large`` as soon as the declared or the
received size passes ``ADVISOR_MAX_BODY_BYTES``, and 408 ``request_timeout`` when the body has
not arrived ``ADVISOR_READ_TIMEOUT_S`` seconds after the request began (a slowly sent body
holds a connection, not the server). Under ``/v1`` a JSON body whose strings hold a lone UTF-16
surrogate (``"\\ud800"``: not Unicode, it cannot be embedded, stored or echoed) is a 422
``invalid_request``. Otherwise the buffered body is replayed to the app.
"""

from __future__ import annotations

import json
import re
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, read_timeout_s: float = 15.0) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.read_timeout_s = read_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await send_error(send, 413, "body_too_large", _too_large(limit, f"Content-Length {declared}"))
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        with anyio.move_on_after(self.read_timeout_s) as timer:
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body = message.get("body", b"")
                size += len(body)
                if size > limit:
                    await send_error(send, 413, "body_too_large",
                                     _too_large(limit, f"more than {limit} bytes received"))
                    return
                chunks.append(body)
                more = bool(message.get("more_body", False))
        if timer.cancelled_caught:
            await send_error(
                send, 408, "request_timeout",
                f"the request body did not arrive within {self.read_timeout_s:g} s "
                f"({size} bytes received; ADVISOR_READ_TIMEOUT_S)",
            )
            return
        data = b"".join(chunks)
        if str(scope.get("path", "")).startswith("/v1/") and _SURROGATE_ESCAPE.search(data):
            where = _lone_surrogate(data)
            if where is not None:
                await send_error(
                    send, 422, "invalid_request",
                    f"{where}: the text holds a lone UTF-16 surrogate, which is not valid "
                    "Unicode; send UTF-8 text (or pair the surrogate)",
                )
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()  # after the body: wait for the disconnect as usual

        await self.app(scope, replay, send)


def _lone_surrogate(data: bytes) -> str | None:
    """Where a JSON body holds a lone surrogate ('body.messages.0.content'), else None (also
    when it is not JSON at all: the route reports that in its own words)."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[Any, list[str]]] = [(value, ["body"])]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return ".".join(path)
        elif isinstance(item, dict):
            for key, sub in item.items():
                if _SURROGATE.search(key):
                    return ".".join(path)
                stack.append((sub, [*path, key]))
        elif isinstance(item, list):
            stack += [(sub, [*path, str(i)]) for i, sub in enumerate(item)]
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_large(limit: int, what: str) -> str:
    return (
        f"the request body is too large ({what}); the limit is {limit} bytes "
        "(ADVISOR_MAX_BODY_BYTES)"
    )


async def send_error(
    send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> None:
    """The API's error body, sent straight from a middleware (the connection is closed after
    it: the rest of the request is not read)."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
