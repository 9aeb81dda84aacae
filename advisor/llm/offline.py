"""The offline chat model: deterministic, no key, no network, same code path as a real model.

It is a LangChain ``BaseChatModel`` that supports ``bind_tools`` and ``with_structured_output``:
asked to call a tool whose arguments are a ``Situation`` (the ``Situation`` schema itself or the
decision tool), it answers with a tool call whose arguments come from the offline extractor;
asked to compose, it parses the ``<advisor-context>`` block and writes an extractive, cited
answer. Tests script it: queued ``responses`` are returned first, and ``history`` records the
lists of messages it was asked (in the manner of simonw/llm's mock model), the latest
``max_history`` of them: a served model answers every user, and an unbounded record would keep
every conversation in memory for the life of the process.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from pydantic import Field

from advisor.answer.compose import compose_offline
from advisor.answer.prompts import parse_asked, parse_context, parse_message

_STREAM_PIECE = re.compile(r"\S+\s*|\s+")
HISTORY_LIMIT = 16


def _situation_arguments(messages: Sequence[BaseMessage]) -> dict[str, Any]:
    from advisor.extraction import extract_situation

    text = _last_human(messages)
    situation = extract_situation(parse_message(text), asked=parse_asked(text))
    return situation.model_dump(mode="json", exclude_none=True)


def _last_human(messages: Sequence[BaseMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return message.text if hasattr(message, "text") else str(message.content)
    return ""


@lru_cache(maxsize=32)
def _json_schema(schema: type) -> dict[str, Any]:
    return convert_to_json_schema(schema)


def default_tool_handlers() -> dict[str, Callable[[Sequence[BaseMessage]], dict[str, Any]]]:
    from advisor.decision.tool import TOOL_NAME

    return {"Situation": _situation_arguments, TOOL_NAME: _situation_arguments}


class OfflineChatModel(BaseChatModel):
    """Deterministic stand-in for a chat model (``ADVISOR_LLM=offline``)."""

    responses: list[str | AIMessage] = Field(
        default_factory=list, description="Scripted replies, returned (and consumed) first."
    )
    history: list[list[BaseMessage]] = Field(
        default_factory=list, description="The latest message lists the model was asked, in order."
    )
    max_history: int = Field(
        HISTORY_LIMIT, ge=0, description="How many of the latest calls ``history`` keeps (0: none)."
    )
    tool_handlers: dict[str, Callable[[Sequence[BaseMessage]], dict[str, Any]]] = Field(
        default_factory=default_tool_handlers, exclude=True
    )

    @property
    def _llm_type(self) -> str:
        return "advisor-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": "offline"}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[Any, AIMessage]:
        formatted = [convert_to_openai_tool(t) for t in tools]
        tracing = kwargs.get("ls_structured_output_format")
        if tracing and isinstance(tracing.get("schema"), type):
            # LangChain re-derives this tracing schema from the class on every call (~5 ms for
            # Situation); hand it the JSON schema once instead.
            kwargs["ls_structured_output_format"] = {
                **tracing, "schema": _json_schema(tracing["schema"])
            }
        return self.bind(tools=formatted, tool_choice=tool_choice, **kwargs)

    # ---- generation -----------------------------------------------------------------
    def _respond(self, messages: list[BaseMessage], tools: list[dict[str, Any]] | None) -> AIMessage:
        if self.max_history:
            self.history.append(list(messages))
            del self.history[: -self.max_history]
        if self.responses:
            scripted = self.responses.pop(0)
            return scripted if isinstance(scripted, AIMessage) else AIMessage(content=scripted)
        if tools:
            return self._call_tool(messages, tools)
        ctx = parse_context(_last_human(messages))
        if ctx is None:
            return AIMessage(
                content="I am the offline advisor model: I answer advisor prompts only. "
                "Ask the advisor (advisor ask) instead."
            )
        return AIMessage(content=compose_offline(ctx))

    def _call_tool(self, messages: list[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
        for tool in tools:
            name = tool.get("function", {}).get("name", "")
            handler = self.tool_handlers.get(name)
            if handler is not None:
                args = handler(messages)
                call_id = "call_" + hashlib.sha256(
                    (name + json.dumps(args, sort_keys=True)).encode()
                ).hexdigest()[:12]
                return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id}])
        names = ", ".join(t.get("function", {}).get("name", "?") for t in tools)
        raise ValueError(f"the offline model knows how to call none of these tools: {names}")

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        message = self._respond(messages, kwargs.get("tools"))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = self._respond(messages, kwargs.get("tools"))
        if message.tool_calls:
            yield ChatGenerationChunk(message=AIMessageChunk(
                content="", tool_call_chunks=[
                    {"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": i}
                    for i, c in enumerate(message.tool_calls)
                ],
            ))
            return
        for piece in _STREAM_PIECE.findall(str(message.content)):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk
