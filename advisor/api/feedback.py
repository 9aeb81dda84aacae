"""POST /v1/feedback: a thumbs up or down on a reply, with an optional comment.

Stored by :class:`advisor.feedback.FeedbackStore` (SQLite under the data dir) together with the
conversation and the rated reply; ``advisor feedback export`` writes them out as JSON lines.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from advisor.api.deps import FeedbackDep, SettingsDep
from advisor.api.errors import ApiError, responses
from advisor.api.security import ReadAccess
from advisor.schemas.feedback import FeedbackIn

router = APIRouter(
    prefix="/v1",
    tags=["feedback"],
    dependencies=[ReadAccess],
    responses=responses(400, 401, 403, 413, 422, 503),
)


class FeedbackSaved(BaseModel):
    id: int


@router.post("/feedback", response_model=FeedbackSaved, status_code=201, summary="Rate a reply")
async def add_feedback(
    body: FeedbackIn, store: FeedbackDep, settings: SettingsDep
) -> FeedbackSaved:
    """``reply`` is the AdvisorReply being rated, as /v1/ask (or ``advisor`` of a chat
    completion) returned it; ``conversation`` the messages that were sent for it."""
    if len(body.conversation) > settings.max_turns:
        raise ApiError(
            422,
            "invalid_conversation",
            f"too many messages: {len(body.conversation)} (at most {settings.max_turns})",
        )
    feedback_id = await run_in_threadpool(
        store.add, body.rating, body.conversation, body.reply, body.comment
    )
    return FeedbackSaved(id=int(feedback_id))
