"""Request body limit for the API: 413 on a too-large Content-Length *and* on a streamed body.

A pure ASGI middleware: for API paths it reads the body up front (bounded by the limit), answers
413 as soon as the declared or the received size passes the limit, and otherwise replays the
buffered body to the app. The Gradio page (mounted at ``/``) is left alone.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_PREFIXES = ("/v1/",)


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, max_body_bytes: int, prefixes: tuple[str, ...] = API_PREFIXES
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit, f"Content-Length {declared}")
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await _too_large(send, limit, f"more than {limit} bytes received")
                return
            chunks.append(body)
            more = bool(message.get("more_body", False))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()  # after the body: wait for the disconnect as usual

        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, limit: int, what: str) -> None:
    body = json.dumps(
        {
            "error": {
                "code": "body_too_large",
                "message": f"the request body is too large ({what}); the limit is {limit} bytes "
                "(ADVISOR_MAX_BODY_BYTES)",
            }
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
