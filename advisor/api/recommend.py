"""POST /v1/recommend: the decision tool directly, a Situation in, a Recommendation out."""

from __future__ import annotations

from fastapi import APIRouter, Response

from advisor.api.ask import json_response
from advisor.api.deps import AdvisorDep
from advisor.api.errors import responses
from advisor.api.security import ReadAccess
from advisor.schemas.decision import Recommendation, Situation

router = APIRouter(
    prefix="/v1",
    tags=["advice"],
    dependencies=[ReadAccess],
    responses=responses(400, 401, 403, 413, 422),
)


@router.post("/recommend", response_model=Recommendation, summary="Run the decision tool")
def recommend(situation: Situation, advisor: AdvisorDep) -> Response:
    """Every field of the Situation is optional: unknown is a state the rules reason about."""
    return json_response(advisor.recommend(situation))
