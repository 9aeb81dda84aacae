"""GET /healthz (the process answers) and GET /readyz (the store is reachable, the index loaded)."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from advisor.api.errors import ApiError, responses
from advisor.knowledge import KnowledgeError
from advisor.service import Advisor

router = APIRouter(tags=["health"])


class Alive(BaseModel):
    status: str = "ok"


class Ready(BaseModel):
    status: str = "ready"
    chunks: int
    store: str = Field(description="'embedded' or 'server' (its location is not shown).")


@router.get("/healthz", response_model=Alive, summary="Liveness")
async def healthz() -> Alive:
    return Alive()


_ingest_lock = threading.Lock()


def _check(request: Request) -> dict[str, Any]:
    advisor: Advisor = request.app.state.advisor
    if request.app.state.ingest_pending:  # the store was down at start-up: ingest once it is back
        with _ingest_lock:
            if request.app.state.ingest_pending:
                try:
                    advisor.knowledge.ensure_ingested()
                except KnowledgeError as exc:
                    raise ApiError(503, "not_ready", f"the store is empty: {exc}") from exc
                request.app.state.ingest_pending = False
    return advisor.check_ready()


@router.get("/readyz", response_model=Ready, responses=responses(503), summary="Readiness")
async def readyz(request: Request) -> Ready:
    """503 ``store_unavailable`` while the Chroma store cannot be reached."""
    info = await run_in_threadpool(_check, request)
    advisor: Advisor = request.app.state.advisor
    return Ready(chunks=int(info.get("chunks", 0)), store=advisor.knowledge.store.kind)
