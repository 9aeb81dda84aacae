"""POST /v1/feedback: a thumbs up or down on a reply, with an optional comment."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from advisor.api.deps import FeedbackDep, SettingsDep
from advisor.api.errors import ApiError, responses
from advisor.api.security import ReadAccess
from advisor.schemas.reply import AdvisorReply, ChatMessage

router = APIRouter(prefix="/v1", tags=["feedback"], dependencies=[ReadAccess],
                   responses=responses(400, 401, 403, 413, 422, 503))


class FeedbackIn(BaseModel):
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=4000, description="Why, in the user's words.")
    conversation: list[ChatMessage] = Field(
        default_factory=list, description="The conversation the reply answered."
    )
    reply: AdvisorReply = Field(description="The reply being rated, as the API returned it.")


class FeedbackSaved(BaseModel):
    id: int


@router.post("/feedback", response_model=FeedbackSaved, status_code=201, summary="Rate a reply")
async def add_feedback(body: FeedbackIn, store: FeedbackDep, settings: SettingsDep) -> FeedbackSaved:
    if len(body.conversation) > settings.max_turns:
        raise ApiError(422, "invalid_conversation",
                       f"too many messages: {len(body.conversation)} (at most {settings.max_turns})")
    if store is None:
        raise ApiError(503, "feedback_unavailable", "feedback storage is not available")
    comment = body.comment.strip() if body.comment and body.comment.strip() else None
    feedback_id = await run_in_threadpool(
        store.add, body.rating, body.conversation, body.reply, comment
    )
    return FeedbackSaved(id=int(feedback_id))
