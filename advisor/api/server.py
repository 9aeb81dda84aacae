"""The served app: the REST API under /v1 (docs at /docs) with the Gradio page mounted at /.

``advisor serve`` (advisor/cli.py, the composition root) passes the page builder,
``ui.build_demo``, so this module, like the rest of ``advisor``, never imports ``ui``.
"""

from __future__ import annotations

import hmac
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from advisor.config import Settings

PageBuilder = Callable[[Any, Any], Any]  # (advisor, feedback_store) -> gradio.Blocks
GRACEFUL_SHUTDOWN_S = 2  # open event streams (the page keeps one) must not hold shutdown

log = logging.getLogger("advisor.api.server")


def _page_auth(settings: Settings) -> Callable[[str, str], bool] | None:
    """With ADVISOR_REQUIRE_KEY_FOR_READS the page asks for the API key as its password."""
    if not settings.require_key_for_reads:
        return None
    key = settings.api_key.get_secret_value().encode() if settings.api_key else b""

    def check(_username: str, password: str) -> bool:
        return bool(key) and hmac.compare_digest(password.encode(), key)

    return check


class LoginThrottle:
    """The page's login (POST /login, the key as password) counts against the same
    per-client budget of wrong keys as the API (``ADVISOR_AUTH_FAILURES_PER_MINUTE``)."""

    def __init__(self, app: Any, throttle: Any) -> None:
        self.app, self.throttle = app, throttle

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip(
            "/"
        ) != "/login":
            await self.app(scope, receive, send)
            return
        from advisor.api.limits import send_error
        from advisor.api.security import too_many_failures

        client = scope["client"][0] if scope.get("client") else "unknown"
        wait = self.throttle.retry_after(client)
        if wait:
            error = too_many_failures(wait)
            await send_error(send, error.status, error.code, error.message, error.headers)
            return

        async def watch(message: Any) -> None:
            if message["type"] == "http.response.start" and message["status"] == 400:
                self.throttle.record(client)  # Gradio's "Incorrect credentials."
            await send(message)

        await self.app(scope, receive, watch)


def mount_page(app: FastAPI, page: PageBuilder, settings: Settings) -> FastAPI:
    """Mount the Gradio page at ``/`` (after the API routes, which keep precedence)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    demo = page(app.state.advisor, app.state.feedback_store)
    auth = _page_auth(settings)
    extra: dict[str, Any] = {"auth": auth, "auth_message": "Password: the API key."} if auth else {}
    if auth:
        app.add_middleware(LoginThrottle, throttle=app.state.auth_throttle)
    return gr.mount_gradio_app(app, demo, path="/", **extra)


def build_app(settings: Settings, page: PageBuilder | None = None, advisor: Any = None) -> FastAPI:
    from advisor.api import create_app

    app = create_app(settings, advisor)
    return mount_page(app, page, settings) if page is not None else app


def serve(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    page: PageBuilder | None = None,
) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import uvicorn

    host, port = host or settings.host, port or settings.port
    started = time.perf_counter()
    app = build_app(settings, page)
    where = "page at /, " if page is not None else ""
    print(
        f"advisor: built in {time.perf_counter() - started:.1f}s; serving on http://{host}:{port} "
        f"({where}API under /v1, docs at /docs)",
        file=sys.stderr,
        flush=True,
    )
    from advisor.api.http_protocol import uvicorn_http_options

    uvicorn.run(
        app, host=host, port=port, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        log_level="info", **uvicorn_http_options(settings),
    )
    return 0
