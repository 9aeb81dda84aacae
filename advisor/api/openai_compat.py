"""POST /v1/chat/completions (and GET /v1/models): the advisor behind OpenAI's chat API.

The OpenAI SDKs and chat front ends can talk to the advisor unchanged. ``model`` is accepted and
echoed; system/developer messages are allowed (and passed to the advisor as system messages).
The whole AdvisorReply (citations, recommendation) travels in the extra field ``advisor``: on
the completion, and on the last chunk of a stream (``stream: true``), which ends in
``data: [DONE]``. Sampling parameters (temperature, max_tokens, ...) are accepted and ignored.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from advisor.api.ask import json_response
from advisor.api.deps import AdvisorDep
from advisor.api.errors import responses
from advisor.api.security import ReadAccess
from advisor.api.sse import error_event, event_stream, started
from advisor.schemas.reply import AdvisorReply, ChatMessage
from advisor.service import StreamEvent

router = APIRouter(
    prefix="/v1",
    tags=["openai-compatible"],
    dependencies=[ReadAccess],
    responses=responses(400, 401, 403, 413, 422, 503),
)

MODEL_ID = "advisor"


class TextPart(BaseModel):
    type: Literal["text"]
    text: str


class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[TextPart] | None = Field(
        description="Text, or a list of text parts (other part types are not supported)."
    )
    name: str | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(p.text for p in self.content)


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "model": "advisor",
                    "messages": [
                        {
                            "role": "user",
                            "content": "Our catalogue changes daily. RAG or fine-tuning?",
                        }
                    ],
                }
            ]
        },
    )

    model: str = Field(MODEL_ID, max_length=200, description="Accepted and echoed back.")
    messages: list[OpenAIMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: int = Field(1, ge=1, le=1, description="Only one choice is produced.")
    k: int | None = Field(None, ge=1, le=50, description="Advisor extension: passages to retrieve.")

    def conversation(self) -> list[ChatMessage]:
        out = []
        for m in self.messages:
            role = "system" if m.role == "developer" else m.role
            text = m.text()
            if role != "user" and not text.strip():
                continue  # empty system prompts and tool-call-only assistant turns carry nothing
            out.append(ChatMessage(role=role, content=text))
        return out


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: None = None


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    prompt_tokens: int = Field(description="Estimate: characters / 4.")
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    system_fingerprint: str | None = None
    choices: list[Choice]
    usage: Usage
    advisor: AdvisorReply = Field(description="The whole reply: citations, recommendation, ...")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "advisor"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def _tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def _usage(request: ChatCompletionRequest, answer: str) -> Usage:
    prompt = _tokens("".join(m.text() for m in request.messages))
    completion = _tokens(answer)
    return Usage(
        prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
    )


@router.get("/models", response_model=ModelList, summary="The one model (for OpenAI clients)")
def models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_ID)])


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    summary="OpenAI-compatible chat completion",
    responses={
        200: {
            "description": "A chat.completion, or with `stream: true` chat.completion.chunk "
            "server-sent events ending in `data: [DONE]`; the last chunk carries `advisor`.",
            "content": {
                "text/event-stream": {
                    "schema": {  # one event (OpenAPI < 3.2 convention)
                        "type": "object",
                        "required": ["data"],
                        "properties": {
                            "data": {
                                "type": "string",
                                "description": "a chat.completion.chunk as JSON, or [DONE]",
                            }
                        },
                    }
                }
            },
        }
    },
)
async def chat_completions(body: ChatCompletionRequest, advisor: AdvisorDep) -> Response:
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    messages = body.conversation()
    if body.stream:
        events = await started(lambda: advisor.stream(messages, body.k))
        return event_stream(_chunks(body, events, completion_id, created))

    from starlette.concurrency import run_in_threadpool

    reply = await run_in_threadpool(advisor.ask, messages, body.k)
    return json_response(
        ChatCompletion(
            id=completion_id,
            created=created,
            model=body.model,
            choices=[Choice(message=AssistantMessage(content=reply.answer))],
            usage=_usage(body, reply.answer),
            advisor=reply,
        )
    )


def _chunks(
    body: ChatCompletionRequest, events: Iterator[StreamEvent], completion_id: str, created: int
) -> Iterator[str]:
    head = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": body.model,
        "system_fingerprint": None,
    }

    def chunk(delta: dict, finish: str | None = None, **extra: object) -> str:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return f"data: {json.dumps({**head, 'choices': [choice], **extra})}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    try:
        for event in events:
            if event.type == "delta":
                yield chunk({"content": event.text})
            elif event.reply is not None:
                reply = json.loads(event.reply.model_dump_json())
                yield chunk({}, "stop", advisor=reply)
                if body.stream_options and body.stream_options.include_usage:
                    usage = _usage(body, event.reply.answer).model_dump()
                    yield f"data: {json.dumps({**head, 'choices': [], 'usage': usage})}\n\n"
    except Exception as exc:  # noqa: BLE001 - the status line is gone: report in-stream
        yield f"data: {json.dumps(error_event(exc))}\n\n"
    yield "data: [DONE]\n\n"
