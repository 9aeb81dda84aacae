"""The app's edge: one error shape and the methods HTTP expects, on every path.

A pure ASGI middleware around the whole app (API and mounted page):

* ``HEAD`` is answered as ``GET`` without the body, wherever GET works;
* ``OPTIONS`` (not a CORS preflight, which the CORS middleware outside answers) is 204 with the
  ``Allow`` header of the path, or the JSON 404 when nothing is there;
* a path that is ``/v1`` in another case (``/V1/ask``) or ``/v1`` itself gets the JSON 404, and
  a method no route knows gets the JSON 405, instead of falling through to the page;
* the framework's bare ``{"detail": "Not Found"}`` and ``{"detail": "Method Not Allowed"}``
  (the page's unknown paths) become ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from advisor.api.limits import send_error

FALLBACK_ROUTE = "v1_unknown"  # the /v1 catch-all: answers what no route does, allows nothing
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}
_DEFAULT_ERRORS = {
    b'{"detail":"Not Found"}': (404, "not_found", "nothing here"),
    b'{"detail":"Method Not Allowed"}': (405, "method_not_allowed", "method not allowed here"),
}


def allowed_methods(routes: Iterable[Any], scope: Scope) -> set[str]:
    """Every method some route (mounted apps' included) answers on ``scope['path']``: each
    method is tried against the routes as the router itself would."""
    out: set[str] = set()
    for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
        probe = {**scope, "type": "http", "method": method}
        if any(_answers(route, probe) for route in routes):
            out.add(method)
    if "GET" in out:
        out.add("HEAD")
    return out | {"OPTIONS"} if out else out


def _answers(route: Any, probe: Scope) -> bool:
    if getattr(route, "name", None) == FALLBACK_ROUTE:
        return False
    match, child = route.matches(probe)
    if isinstance(route, Mount):  # a mount takes any method: ask its own routes
        inner = getattr(route.app, "routes", None)
        return match is not Match.NONE and inner is not None and any(
            _answers(r, {**probe, **child}) for r in inner
        )
    return match is Match.FULL


def _is_api(path: str) -> bool:
    lower = path.lower()
    return lower == "/v1" or lower.startswith("/v1/")


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, routes_of: ASGIApp) -> None:
        self.app = app
        self.routes_of = routes_of  # the FastAPI app whose routes (and mounts) are matched

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = str(scope.get("path", "")), str(scope.get("method", ""))
        api = _is_api(path)
        if api and not path.startswith("/v1/"):
            await send_error(send, 404, "not_found",
                             f"no API endpoint {path}; API paths are lower case, under /v1/ "
                             "(see /docs)")
            return
        if method == "OPTIONS":
            allowed = allowed_methods(self.routes_of.router.routes, scope)  # type: ignore[attr-defined]
            if not allowed:
                await send_error(send, 404, "not_found", f"nothing at {path}")
                return
            await send({"type": "http.response.start", "status": 204,
                        "headers": [(b"allow", ", ".join(sorted(allowed)).encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
        if method not in KNOWN_METHODS:
            allowed = allowed_methods(self.routes_of.router.routes, scope)  # type: ignore[attr-defined]
            if not allowed:
                await send_error(send, 404, "not_found", f"nothing at {path}")
                return
            await send_error(send, 405, "method_not_allowed",
                             f"{method} is not allowed on {path}; use {', '.join(sorted(allowed))}",
                             {"Allow": ", ".join(sorted(allowed))})
            return
        if method == "HEAD":
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, _Rewriter(send, head=method == "HEAD"))


class _Rewriter:
    """Drops the body of a HEAD answer; rewrites the framework's bare 404/405 bodies."""

    def __init__(self, send: Send, head: bool) -> None:
        self.send, self.head = send, head
        self.start: Message | None = None

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            if message["status"] in (404, 405) and headers.get(b"content-type", b"").startswith(
                b"application/json"
            ):
                self.start = message  # held until the body says whether it is the bare one
                return
            await self.send(message)
            return
        if message["type"] == "http.response.body" and self.start is not None:
            start, self.start = self.start, None
            body = message.get("body", b"")
            known = _DEFAULT_ERRORS.get(body) if not message.get("more_body") else None
            if known is not None:
                _, code, text = known
                body = json.dumps({"error": {"code": code, "message": text}}).encode()
                start = {**start, "headers": [
                    (k, str(len(body)).encode() if k == b"content-length" else v)
                    for k, v in start.get("headers", [])
                ]}
                message = {**message, "body": body}
            await self.send(start)
        if self.head and message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await self.send(message)
