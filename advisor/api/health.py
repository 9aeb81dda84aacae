"""GET /healthz (the process answers) and GET /readyz (the store is reachable, the index loaded)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from advisor.api.errors import responses
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


def _check(request: Request) -> dict[str, Any]:
    advisor: Advisor = request.app.state.advisor
    advisor.knowledge.require_ready()  # 503 while the start-up ingest is still pending
    return advisor.check_ready()


@router.get("/readyz", response_model=Ready, responses=responses(503), summary="Readiness")
async def readyz(request: Request) -> Ready:
    """503 ``store_unavailable`` while the Chroma store cannot be reached, or while the
    shipped articles wait to be ingested (the store was down at start-up)."""
    info = await run_in_threadpool(_check, request)
    advisor: Advisor = request.app.state.advisor
    return Ready(chunks=int(info.get("chunks", 0)), store=advisor.knowledge.store.kind)
