"""Turning user messages into a Situation: through the chat model's structured output.

With the offline model this runs the deterministic extractor (through the same
``with_structured_output`` path). With a real model the Situation is asked for in one of three
forms (``ADVISOR_LLM_STRUCTURED_OUTPUT``): ``json_schema`` (a ``response_format`` schema),
``function_calling`` (a tool call with a named ``tool_choice``) or ``json_mode`` (JSON mode with
the schema in the prompt and as ``response_format.schema``, which llama.cpp's server turns into a
grammar). ``auto`` tries them in that order and remembers, per server and model for the life of
the process, each form the server refused (one log line each). Output that does not validate is
retried once with the validation error shown to the model; then the offline reader stands in
(``offline_fallback``). A model that cannot be reached raises ``ModelUnavailable``.
Results are cached per message, so a multi-turn conversation costs one extraction per new
message.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import ValidationError

from advisor.answer.conversation import asked_before
from advisor.answer.prompts import extract_messages
from advisor.llm.errors import classify_failure, unavailable
from advisor.llm.offline import OfflineChatModel
from advisor.schemas.decision import Situation
from advisor.schemas.reply import ChatMessage

log = logging.getLogger(__name__)
CACHE_SIZE = 2048
Source = Literal["llm", "offline", "offline_fallback"]
Method = Literal["json_schema", "function_calling", "json_mode"]
METHODS: tuple[Method, ...] = ("json_schema", "function_calling", "json_mode")
RAW_SHOWN_CHARS = 1500  # of the invalid answer, shown back to the model on the retry

# server and model -> the structured-output forms it refused, for the life of the process
_REFUSED: dict[str, set[Method]] = {}
_REFUSED_LOCK = threading.Lock()


def model_identity(llm: BaseChatModel) -> str:
    """Which server and model a chat model talks to (the key of what was refused)."""
    base = getattr(llm, "openai_api_base", None) or getattr(llm, "base_url", None) or ""
    name = getattr(llm, "model_name", None) or getattr(llm, "model", None) or ""
    return f"{type(llm).__name__}|{base}|{name}"


def refused_methods(llm: BaseChatModel) -> set[Method]:
    with _REFUSED_LOCK:
        return set(_REFUSED.get(model_identity(llm), ()))


def _remember_refusal(llm: BaseChatModel, method: Method, exc: BaseException) -> None:
    key = model_identity(llm)
    with _REFUSED_LOCK:
        refused = _REFUSED.setdefault(key, set())
        if method in refused:
            return
        refused.add(method)
    left = [m for m in METHODS if m not in refused]
    log.info("the chat model's server refused structured output by %s (%s: %s); using %s "
             "from now on", method, type(exc).__name__, str(exc)[:200],
             left[0] if left else "the offline reader")


def _kind(spec: dict[str, Any]) -> str:
    options = [o for o in spec.get("anyOf", [spec]) if o.get("type") != "null"]
    option = options[0] if options else {}
    if "enum" in option:
        return "|".join(option["enum"])
    return {"boolean": "true|false", "integer": "a whole number", "number": "a number"}.get(
        option.get("type", ""), option.get("type", "value"))


@lru_cache(maxsize=1)
def field_guide() -> str:
    """The Situation's fields, one line each (name, allowed values, the gist of its
    description): for servers that constrain the output to the schema without showing the
    model what the fields mean (llama.cpp renders no tool definitions into the prompt)."""
    lines = []
    for name, spec in Situation.model_json_schema()["properties"].items():
        gist = re.split(r"[;(]|\. ", spec.get("description", ""), maxsplit=1)[0].strip(" .")
        gist = gist.split(": '")[0]
        if gist.startswith("'"):  # the description starts by listing the values: the title
            gist = spec.get("title", name)
        lines.append(f"- {name} ({_kind(spec)}): {gist[:110]}")
    return "\n".join(lines)


def _with_guide(prompt: list[BaseMessage], how: str) -> list[BaseMessage]:
    first, *rest = prompt
    note = (f"{how} Its fields (null or left out when the message does not state them):\n"
            f"{field_guide()}")
    return [SystemMessage(f"{first.text}\n\n{note}"), *rest]


def _raw_text(message: Any) -> str:
    if not isinstance(message, AIMessage):
        return ""
    if message.tool_calls:
        return json.dumps(message.tool_calls[0].get("args", {}))
    return message.text


class SituationExtractor:
    def __init__(self, llm: BaseChatModel, method: str = "auto",
                 timeout_s: float | None = None) -> None:
        if method not in ("auto", *METHODS):
            raise ValueError(f"unknown structured-output method {method!r}")
        self._llm = llm
        self._method = method
        self._timeout_s = timeout_s
        self._offline = isinstance(llm, OfflineChatModel)
        self._structured = llm.with_structured_output(Situation) if self._offline else None
        self._runnables: dict[Method, Any] = {}
        self._cache: OrderedDict[tuple[str, str | None], tuple[Situation, Source, str | None]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    # ---- one model call in one form ----------------------------------------------------
    def _runnable(self, method: Method) -> Any:
        if method not in self._runnables:
            if method == "json_mode":
                schema = Situation.model_json_schema()
                self._runnables[method] = self._llm.bind(
                    response_format={"type": "json_object", "schema": schema}
                )
            else:
                self._runnables[method] = self._llm.with_structured_output(
                    Situation, method=method, include_raw=True
                )
        return self._runnables[method]

    def _call(self, method: Method, prompt: list[BaseMessage]) -> tuple[Situation | None, str, str]:
        """(situation or None, what was wrong with the output, the raw output). Errors of the
        request itself (refused, unreachable) raise."""
        if method == "json_mode":
            message = self._runnable(method).invoke(_with_guide(prompt, "Answer with one JSON object, nothing "
                                               "else: the Situation."))
            raw = _raw_text(message)
            try:
                return Situation.model_validate(json.loads(raw)), "", raw
            except (ValueError, ValidationError) as exc:
                return None, str(exc), raw
        if method == "function_calling":
            prompt = _with_guide(prompt, "Call the Situation tool.")
        out = self._runnable(method).invoke(prompt)
        raw = _raw_text(out.get("raw"))
        parsed, error = out.get("parsed"), out.get("parsing_error")
        if isinstance(parsed, Situation):
            return parsed, "", raw
        if parsed is not None:
            try:
                return Situation.model_validate(parsed), "", raw
            except ValidationError as exc:
                return None, str(exc), raw
        if error is None:
            error = "the answer held no Situation (no tool call, or empty)"
        return None, str(error), raw

    def _methods(self) -> list[Method]:
        if self._method != "auto":
            return [self._method]  # type: ignore[list-item]
        refused = refused_methods(self._llm)
        return [m for m in METHODS if m not in refused]

    def _ask_model(self, prompt: list[BaseMessage]) -> tuple[Situation | None, str, str, bool]:
        """One answer from the model in the strongest form its server takes: (situation or
        None, what was wrong, the raw answer, whether the model answered at all)."""
        for method in self._methods():
            try:
                return (*self._call(method, prompt), True)
            except Exception as exc:
                kind = classify_failure(exc)
                if kind == "unavailable":
                    raise unavailable(exc, self._timeout_s) from exc
                if kind == "invalid":  # an answer LangChain could not take apart
                    return None, f"{type(exc).__name__}: {exc}", "", True
                if self._method == "auto":
                    _remember_refusal(self._llm, method, exc)
                    continue
                return None, f"the server refused structured output by {method}: {exc}", "", False
        return None, "the server refused every structured-output form", "", False

    # ---- one message ---------------------------------------------------------------------
    def _extract_llm(self, text: str, asked: str | None) -> tuple[Situation, Source, str | None]:
        prompt = extract_messages(text, asked)
        situation, error, raw, answered = self._ask_model(prompt)
        if situation is None and answered:  # answered, but no valid Situation: say why, once
            retry = [*prompt, HumanMessage(
                f"Your previous answer was not a valid Situation.\nIt was: "
                f"{raw[:RAW_SHOWN_CHARS] or '(nothing)'}\nThe error: {error[:RAW_SHOWN_CHARS]}\n"
                "Answer again for the same message; leave unknown fields null.")]
            situation, error, raw, answered = self._ask_model(retry)
        if situation is not None:
            return situation, "llm", None
        from advisor.extraction import extract_situation

        reason = f"the model gave no valid Situation ({error[:300]}); the offline reader stood in"
        log.info("situation extraction: %s", reason)
        return extract_situation(text, asked=asked), "offline_fallback", reason

    def _extract_one(self, text: str, asked: str | None) -> tuple[Situation, Source, str | None]:
        key = (text, asked)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        if self._offline:
            assert self._structured is not None
            parsed = self._structured.invoke(extract_messages(text, asked))
            situation = parsed if isinstance(parsed, Situation) else Situation.model_validate(parsed)
            result: tuple[Situation, Source, str | None] = (situation, "offline", None)
        else:
            result = self._extract_llm(text, asked)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def situations(
        self, messages: Sequence[ChatMessage]
    ) -> tuple[Situation, Situation, Source, list[str]]:
        """(situation before the last user message, situation now, who extracted it, why the
        offline reader stood in for the model, if it did)."""
        before = now = Situation()
        sources: set[Source] = set()
        reasons: list[str] = []
        user_indexes = [i for i, m in enumerate(messages) if m.role == "user"]
        for i in user_indexes:
            situation, source, reason = self._extract_one(
                messages[i].content, asked_before(messages, i)
            )
            sources.add(source)
            if reason and reason not in reasons:
                reasons.append(reason)
            before, now = now, now.merge(situation)
        source: Source = "offline_fallback" if "offline_fallback" in sources else (
            "llm" if "llm" in sources else "offline"
        )
        return before, now, source, reasons
