"""A real ``ChatOpenAI`` (the openai SDK underneath) whose HTTP requests a test answers.

The answers are the ones llama.cpp's server was measured to give (DESIGN.md section 4): 500
``Input should be 'text' or 'json_object'`` for ``response_format: json_schema``, a well-formed
call for a named ``tool_choice``, JSON for ``json_object``. This keeps the adaptive logic's tests
fast and exact in the default suite; ``tests/llm/test_local_llm.py`` runs the same paths against the
real server in CI. Every request body is recorded.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

LLAMA_JSON_SCHEMA_REFUSAL = {
    "error": {"message": "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
              "'msg': \"Input should be 'text' or 'json_object'\"}]", "type": "internal_server_error"}
}

Handler = Callable[[dict[str, Any]], httpx.Response]


def completion(content: str = "", tool_args: dict[str, Any] | None = None, *,
               tool_name: str = "Situation", finish_reason: str = "stop") -> httpx.Response:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_args is not None:
        message = {"role": "assistant", "content": None, "tool_calls": [{
            "id": "call_1", "type": "function",
            "function": {"name": tool_name, "arguments": json.dumps(tool_args)}}]}
        finish_reason = "tool_calls"
    return httpx.Response(200, json={
        "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "smollm2",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    })


def stream(pieces: list[str], finish_reason: str = "stop") -> httpx.Response:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0,
                "model": "smollm2", "choices": [{"index": 0, "delta": delta,
                                                 "finish_reason": finish}]}
        return f"data: {json.dumps(body)}\n\n"

    text = chunk({"role": "assistant", "content": ""})
    text += "".join(chunk({"content": p}) for p in pieces)
    text += chunk({}, finish_reason) + "data: [DONE]\n\n"
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=text)


def is_compose(body: dict[str, Any]) -> bool:
    return any("<advisor-context>" in str(m.get("content")) for m in body.get("messages", []))


def kind(body: dict[str, Any]) -> str:
    """What the request asks for: json_schema, function_calling, json_mode, compose, chat."""
    fmt = (body.get("response_format") or {}).get("type")
    if fmt == "json_schema":
        return "json_schema"
    if fmt == "json_object":
        return "json_mode"
    if body.get("tools"):
        return "function_calling"
    return "compose" if is_compose(body) else "chat"


class Wire:
    """Records every request body; ``handler(body)`` answers it."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[dict[str, Any]] = []

    def kinds(self) -> list[str]:
        return [kind(b) for b in self.requests]

    def _handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        self.requests.append(body)
        return self.handler(body)

    def chat_model(self, **kwargs: Any) -> Any:
        from langchain_openai import ChatOpenAI

        options: dict[str, Any] = {"model": "smollm2", "base_url": "http://llama.test/v1",
                                   "api_key": "unused", "temperature": 0, "max_retries": 0}
        options.update(kwargs)
        return ChatOpenAI(http_client=httpx.Client(transport=httpx.MockTransport(self._handle)),
                          **options)


def llama_like(situation: dict[str, Any], answer: str | list[str]) -> Handler:
    """llama.cpp's server as measured: refuses json_schema, honours a named tool_choice, and
    answers the compose prompt with ``answer`` (a list of pieces when streamed)."""

    def handle(body: dict[str, Any]) -> httpx.Response:
        k = kind(body)
        if k == "json_schema":
            return httpx.Response(500, json=LLAMA_JSON_SCHEMA_REFUSAL)
        if k == "function_calling":
            return completion(tool_args=situation)
        if k == "json_mode":
            return completion(json.dumps(situation))
        pieces = answer if isinstance(answer, list) else [answer]
        if body.get("stream"):
            return stream(pieces)
        return completion("".join(pieces))

    return handle
