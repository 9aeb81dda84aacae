"""``create_app(settings, advisor=None)``: the REST API as a FastAPI app.

Routes are thin, one router per area; the :class:`~advisor.service.Advisor` does the work.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

from advisor.api import ask, documents, feedback, health, openai_compat, recommend, search
from advisor.api.edge import FALLBACK_ROUTE, EdgeMiddleware
from advisor.api.errors import ApiError, install_error_handlers
from advisor.api.feedback_store import FeedbackStore
from advisor.api.limits import BodyLimitMiddleware
from advisor.api.throttle import Throttle
from advisor.config import Settings
from advisor.knowledge.store import StoreUnavailable
from advisor.service import Advisor

log = logging.getLogger("advisor.api")

DESCRIPTION = """\
Advice on **prompting, RAG, fine-tuning, a hybrid or tool calling** for an LLM use case, citing
expert articles. The API is stateless: send the whole conversation with every request.

Errors are always JSON: `{"error": {"code": "...", "message": "...", "details": [...]?}}`
(`details` lists the per-field problems of a 422 `invalid_request`).
Writes (`PUT`/`DELETE /v1/documents/{id}`) need `Authorization: Bearer $ADVISOR_API_KEY`.
"""


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Methods the documented API allows on ``path`` (from the OpenAPI paths)."""
    table = getattr(app.state, "_api_paths", None)
    if table is None:
        table = [
            (
                re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(t)) + "$"),
                sorted(m.upper() for m in ops),
            )
            for t, ops in app.openapi()["paths"].items()
        ]
        app.state._api_paths = table
    return sorted({m for rx, methods in table if rx.match(path) for m in methods})


def _add_fallback(app: FastAPI) -> None:
    """Unknown ``/v1/...`` paths answer JSON 404/405 (and are not handed to the page at ``/``)."""

    @app.api_route(
        "/v1/{rest:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
        name=FALLBACK_ROUTE, include_in_schema=False,
    )
    def unknown(rest: str, request: Request) -> None:
        allowed = _allowed_methods(request.app, request.url.path)
        if allowed:
            raise ApiError(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed on {request.url.path}; use {', '.join(allowed)}",
                {"Allow": ", ".join(allowed)},
            )
        raise ApiError(404, "not_found", f"no API endpoint /v1/{rest}; see /docs")


def create_app(
    settings: Settings, advisor: Advisor | None = None, feedback_store: FeedbackStore | None = None
) -> FastAPI:
    """The API app. Without an ``advisor`` one is built (ingesting the knowledge on first run;
    when the store is down, in the background once it is up, answering 503 until then);
    without a ``feedback_store``, one on ``settings.feedback_path``."""
    if advisor is None:
        try:
            advisor = Advisor.from_settings(settings)
        except StoreUnavailable as exc:  # start anyway: 503 until the first ingest has happened
            log.warning("store unavailable at start-up (%s); serving, not ready", exc)
            advisor = Advisor(settings)
            advisor.knowledge.ingest_in_background(exc)
        advisor.warm()
    if feedback_store is None:
        feedback_store = FeedbackStore(settings.feedback_path)

    app = FastAPI(
        title="advisor",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.advisor = advisor
    app.state.feedback_store = feedback_store
    app.state.auth_throttle = Throttle(settings.auth_failures_per_minute)
    app.state.feedback_throttle = Throttle(settings.feedback_per_minute)
    install_error_handlers(app)

    for module in (health, ask, openai_compat, recommend, search, documents, feedback):
        app.include_router(module.router)
    _add_fallback(app)

    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        read_timeout_s=settings.read_timeout_s,
    )
    app.add_middleware(EdgeMiddleware, routes_of=app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
        )
    return app


__all__ = ["create_app"]
