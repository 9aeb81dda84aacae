"""POST /v1/ask and /v1/ask/stream: the advisor's answer to a conversation the client sends."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from advisor.api.deps import AdvisorDep
from advisor.api.errors import responses
from advisor.api.security import ReadAccess
from advisor.api.sse import error_event, event_stream, sse, started
from advisor.schemas.reply import AdvisorReply, ChatMessage
from advisor.service import StreamEvent

router = APIRouter(
    prefix="/v1",
    tags=["advice"],
    dependencies=[ReadAccess],
    responses=responses(400, 401, 403, 413, 422, 503),
)


class AskRequest(BaseModel):
    """A whole conversation (the API is stateless), the last message from the user."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "messages": [
                        {
                            "role": "user",
                            "content": "We answer support questions from a wiki that changes weekly and must cite "
                            "sources. What should we build?",
                        }
                    ]
                }
            ]
        }
    )

    messages: list[ChatMessage] = Field(
        description="The conversation so far, oldest first; the last message must be the user's. "
        "Limits: ADVISOR_MAX_TURNS messages, ADVISOR_MAX_MESSAGE_CHARS characters each."
    )
    k: int | None = Field(
        None, ge=1, le=50, description="Passages to retrieve (default ADVISOR_TOP_K)."
    )


def json_response(model: BaseModel) -> Response:
    """Serialise once with pydantic (FastAPI would validate the model again)."""
    return Response(model.model_dump_json(), media_type="application/json")


@router.post("/ask", response_model=AdvisorReply, summary="Advice on a conversation")
def ask(body: AskRequest, advisor: AdvisorDep) -> Response:
    return json_response(advisor.ask(body.messages, body.k))


def _events(events: Iterator[StreamEvent]) -> Iterator[str]:
    try:
        for event in events:
            if event.type == "delta":
                yield sse(json.dumps({"text": event.text}), "delta")
            elif event.reply is not None:
                yield sse(event.reply.model_dump_json(), "reply")
    except Exception as exc:  # noqa: BLE001 - the status line is gone: report in-stream
        yield sse(json.dumps(error_event(exc)), "error")


@router.post(
    "/ask/stream",
    summary="Advice on a conversation, streamed as server-sent events",
    response_class=Response,
    responses={
        200: {
            "description": '`event: delta` / `data: {"text": ...}` events while the answer is '
            "written, then one `event: reply` whose data is the whole AdvisorReply. A failure after "
            "the stream started arrives as `event: error` with the usual error body.",
            "content": {
                "text/event-stream": {
                    "schema": {  # one event (OpenAPI < 3.2 convention)
                        "type": "object",
                        "required": ["event", "data"],
                        "properties": {
                            "event": {"type": "string", "enum": ["delta", "reply", "error"]},
                            "data": {"type": "string", "description": "JSON"},
                        },
                    }
                }
            },
        }
    },
)
async def ask_stream(body: AskRequest, advisor: AdvisorDep) -> Response:
    events = await started(lambda: advisor.stream(body.messages, body.k))
    return event_stream(_events(events))
