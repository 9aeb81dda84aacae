"""POST /v1/feedback: a thumbs up or down on a reply, with an optional comment.

Stored by :class:`advisor.api.feedback_store.FeedbackStore` (SQLite under the data dir) together with the
conversation and the rated reply; ``advisor feedback export`` writes them out as JSON lines.
A record is at most ``ADVISOR_MAX_FEEDBACK_BYTES`` (413 ``feedback_too_large``), and a client
without the API key may rate ``ADVISOR_FEEDBACK_PER_MINUTE`` replies a minute (429
``too_many_requests`` with ``Retry-After``), so an open endpoint cannot fill the disk.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from advisor.api.deps import FeedbackDep, SettingsDep
from advisor.api.errors import ApiError, responses
from advisor.api.security import Credentials, ReadAccess, has_valid_key
from advisor.api.throttle import Throttle, client_of
from advisor.schemas.feedback import FeedbackIn

router = APIRouter(
    prefix="/v1",
    tags=["feedback"],
    dependencies=[ReadAccess],
    responses=responses(400, 401, 403, 413, 422, 429, 503),
)


class FeedbackSaved(BaseModel):
    id: int


@router.post("/feedback", response_model=FeedbackSaved, status_code=201, summary="Rate a reply")
async def add_feedback(
    body: FeedbackIn,
    store: FeedbackDep,
    settings: SettingsDep,
    request: Request,
    credentials: Credentials,
) -> FeedbackSaved:
    """``reply`` is the AdvisorReply being rated, as /v1/ask (or ``advisor`` of a chat
    completion) returned it; ``conversation`` the messages that were sent for it."""
    throttle: Throttle = request.app.state.feedback_throttle
    client = client_of(request)
    anonymous = not has_valid_key(settings, credentials)
    wait = throttle.retry_after(client) if anonymous else 0
    if wait:
        raise ApiError(
            429,
            "too_many_requests",
            f"too much feedback from this client; try again in {wait} s "
            "(ADVISOR_FEEDBACK_PER_MINUTE, unlimited with the API key)",
            {"Retry-After": str(wait)},
        )
    if len(body.conversation) > settings.max_turns:
        raise ApiError(
            422,
            "invalid_conversation",
            f"too many messages: {len(body.conversation)} (at most {settings.max_turns})",
        )
    size = len(body.model_dump_json().encode())
    if size > settings.max_feedback_bytes:
        raise ApiError(
            413,
            "feedback_too_large",
            f"the feedback record is {size} bytes (at most {settings.max_feedback_bytes}, "
            "ADVISOR_MAX_FEEDBACK_BYTES)",
        )
    feedback_id = await run_in_threadpool(
        store.add, body.rating, body.conversation, body.reply, body.comment
    )
    if anonymous:
        throttle.record(client)
    return FeedbackSaved(id=int(feedback_id))
