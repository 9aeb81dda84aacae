"""Turning user messages into a Situation: through the chat model's structured output.

With the offline model this runs the deterministic extractor (through the same
``with_structured_output`` path); with a real LLM the output is validated, retried once if
invalid, and the offline extractor is the fallback. Results are cached per message, so a
multi-turn conversation costs one extraction per new message.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Literal

from langchain_core.language_models import BaseChatModel

from advisor.conversation import asked_before
from advisor.llm.offline import OfflineChatModel
from advisor.prompts import extract_messages
from advisor.schemas.decision import Situation
from advisor.schemas.reply import ChatMessage

log = logging.getLogger(__name__)
CACHE_SIZE = 2048
Source = Literal["llm", "offline", "offline_fallback"]


class SituationExtractor:
    def __init__(self, llm: BaseChatModel) -> None:
        self._llm = llm
        self._structured = llm.with_structured_output(Situation)
        self._offline = isinstance(llm, OfflineChatModel)
        self._cache: OrderedDict[tuple[str, str | None], tuple[Situation, Source]] = OrderedDict()
        self._lock = threading.Lock()

    def _extract_one(self, text: str, asked: str | None) -> tuple[Situation, Source]:
        key = (text, asked)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        prompt = extract_messages(text, asked)
        result: tuple[Situation, Source] | None = None
        for attempt in (1, 2):
            try:
                parsed = self._structured.invoke(prompt)
                situation = parsed if isinstance(parsed, Situation) else Situation.model_validate(parsed)
                result = (situation, "offline" if self._offline else "llm")
                break
            except Exception as exc:  # noqa: BLE001 - invalid output or provider failure
                if self._offline:
                    raise
                log.warning("situation extraction attempt %d failed: %s", attempt, exc)
        if result is None:
            from advisor.extraction import extract_situation

            result = (extract_situation(text, asked=asked), "offline_fallback")
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def situations(self, messages: Sequence[ChatMessage]) -> tuple[Situation, Situation, Source]:
        """(situation before the last user message, situation now, who extracted it)."""
        before = now = Situation()
        sources: set[Source] = set()
        user_indexes = [i for i, m in enumerate(messages) if m.role == "user"]
        for i in user_indexes:
            situation, source = self._extract_one(messages[i].content, asked_before(messages, i))
            sources.add(source)
            before, now = now, now.merge(situation)
        source: Source = "offline_fallback" if "offline_fallback" in sources else (
            "llm" if "llm" in sources else "offline"
        )
        return before, now, source
