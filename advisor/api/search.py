"""GET /v1/search: the best passages for a query, with their citation metadata."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from advisor.api.ask import json_response
from advisor.api.deps import AdvisorDep, SettingsDep
from advisor.api.errors import ApiError, responses
from advisor.api.security import ReadAccess
from advisor.schemas.retrieval import SearchResult

router = APIRouter(
    prefix="/v1",
    tags=["knowledge"],
    dependencies=[ReadAccess],
    responses=responses(401, 403, 422, 503),
)


@router.get("/search", response_model=SearchResult, summary="Search the articles")
def search(
    q: Annotated[str, Query(min_length=1, description="What to search for.")],
    advisor: AdvisorDep,
    settings: SettingsDep,
    k: Annotated[
        int | None, Query(ge=1, le=50, description="Passages (default ADVISOR_TOP_K).")
    ] = None,
) -> Response:
    if len(q) > settings.max_message_chars:
        raise ApiError(
            422,
            "query_too_long",
            f"q has {len(q)} characters (at most {settings.max_message_chars})",
        )
    return json_response(advisor.search(q, k))
