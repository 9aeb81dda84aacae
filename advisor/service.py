"""The Advisor: the one service behind the web page, the REST API, the CLI and the evals.

    retrieve (hybrid) -> extract Situation (chat model) -> decide (rules) ->
    compose with [n] citations (chat model) -> check the answer -> AdvisorReply

A real model's answer is checked (``advisor.answer.check``) and replaced by the offline composed
answer when it fails; the reply says who read the situation (``extraction``) and who wrote the
answer (``composition``). A model that cannot be reached or does not answer in time raises
``ModelUnavailable`` (the API's 503 ``model_unavailable``); nothing is remembered of it, so the
next request uses the model again once it is back.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel

from advisor.answer.check import CheckedAnswer, check_answer, fallback
from advisor.answer.citations import cited_numbers
from advisor.answer.conversation import (
    RETRIEVAL_TURNS,
    retrieval_query,
    user_messages,
    validate,
)
from advisor.answer.coverage import judge
from advisor.answer.lead import LeadFinder
from advisor.answer.lead_projection import shipped_projection
from advisor.answer.prompts import ComposeContext, Lead, NumberedPassage, compose_messages
from advisor.answer.question_type import case_messages, classify
from advisor.config import Settings
from advisor.decision import decide
from advisor.extraction.reader import topic_probability
from advisor.llm import OfflineChatModel, chat_model_from_settings
from advisor.llm.errors import classify_failure, unavailable
from advisor.llm.extractor import SituationExtractor
from advisor.schemas.decision import Evidence, Recommendation, Situation, situation_changes
from advisor.schemas.reply import AdvisorReply, ChatMessage, Citation
from advisor.schemas.retrieval import SearchResult
from advisor.search.knowledge_base import KnowledgeBase, QuoteLocator


class StreamEvent(BaseModel):
    type: Literal["delta", "reply"]
    text: str = ""
    reply: AdvisorReply | None = None


@dataclass
class _Turn:
    ctx: ComposeContext
    citations: dict[int, Citation]
    situation: Situation
    extraction: str
    timings: dict[str, float] = field(default_factory=dict)
    fallback_reasons: list[str] = field(default_factory=list)


class Assessment(BaseModel):
    """Extraction and decision without composition (what the decision eval scores)."""

    situation: Situation
    recommendation: Recommendation
    extraction: str
    fallback_reasons: list[str] = []
    timings_ms: dict[str, float] = {}


def _model_label(llm: BaseChatModel) -> str:
    """What AdvisorReply.model says for a model passed in rather than named in the settings."""
    if isinstance(llm, OfflineChatModel):
        return "offline"
    return str(getattr(llm, "model_name", None) or llm._llm_type)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


class Advisor:
    def __init__(
        self,
        settings: Settings,
        *,
        knowledge: KnowledgeBase | None = None,
        llm: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings
        self.knowledge = knowledge or KnowledgeBase(settings)
        self.llm = llm or chat_model_from_settings(settings)
        self.model_name = settings.llm if llm is None else _model_label(llm)
        self._real_model = not isinstance(self.llm, OfflineChatModel)
        self._extractor = SituationExtractor(
            self.llm, settings.llm_structured_output, timeout_s=settings.llm_timeout_s
        )
        self._locator = QuoteLocator(self.knowledge)
        self._leads = LeadFinder(self.knowledge, projection=shipped_projection())

    @classmethod
    def from_settings(cls, settings: Settings, *, ingest: bool = True) -> Advisor:
        advisor = cls(settings)
        if ingest:
            advisor.knowledge.ensure_ingested()
        return advisor

    def warm(self) -> None:
        """Load the offline reader's encoder now (about a second on an idle machine) rather
        than in the first request; a server calls this before it reports ready."""
        from advisor.extraction.reader import read_situation

        read_situation("warm-up")

    # ---- direct tools ------------------------------------------------------------
    def search(self, query: str, k: int | None = None) -> SearchResult:
        return self.knowledge.search(query, k)

    def recommend(self, situation: Situation) -> Recommendation:
        return decide(situation)

    def check_ready(self) -> dict[str, Any]:
        """Raises StoreUnavailable when the store cannot be reached."""
        index = self.knowledge.retriever.lexical_index()
        return {"chunks": len(index.chunks), "store": self.knowledge.store.location}

    # ---- the pipeline ------------------------------------------------------------
    def _prepare(self, messages: Sequence[ChatMessage], k: int | None) -> _Turn:
        validate(messages, max_chars=self.settings.max_message_chars,
                 max_turns=self.settings.max_turns)
        timings: dict[str, float] = {}
        t = time.perf_counter()
        users = user_messages(messages)
        result = self.knowledge.search(retrieval_query(messages), k)
        latest_relevant = result.relevant
        if len(users) > 1:  # ranked with the conversation, judged on what was just asked
            latest_relevant = self.knowledge.search(users[-1], 1).relevant
        timings["retrieve"] = _ms(t)

        t = time.perf_counter()
        asked = classify(messages)  # only what is said about the case is read as its facts
        before, situation, source, reasons = self._extractor.situations(case_messages(messages))
        if not asked.case_text:
            before = situation
        def earlier_topic() -> float | None:  # each earlier message as it was scored alone
            scores = [topic_probability(u) for u in users[:-1][-RETRIEVAL_TURNS:]]
            return max((p for p in scores if p is not None), default=None)

        # Covered when what was just said is about building with LLMs (coverage.py): the
        # topic head's judgment, with retrieval's term check and the question's shape.
        covered = judge(asked, latest_relevant=latest_relevant,
                        conversation_relevant=result.relevant,
                        topic=topic_probability(users[-1]), states_facts=situation != before,
                        continues=len(users) > 1, earlier_topic=earlier_topic).covered
        timings["extract"] = _ms(t)  # the topic head reads the message with the reader's encoder

        t = time.perf_counter()
        recommendation = decide(situation)
        changes: list[str] = []
        if len(users) > 1:
            changes = situation_changes(before, situation)
            previous = decide(before)
            if previous.approach != recommendation.approach:
                changes.append(f"recommendation: {previous.approach} -> {recommendation.approach}")
        timings["decide"] = _ms(t)

        passages: list[NumberedPassage] = []
        citations: dict[int, Citation] = {}
        by_chunk: dict[str, int] = {}

        def number(chunk: Any, score: float, kind: str) -> int:
            """Give a chunk (or retrieved passage) its marker number, once."""
            chunk_id = chunk.chunk_id if hasattr(chunk, "chunk_id") else chunk.id
            if chunk_id in by_chunk:
                return by_chunk[chunk_id]
            n = len(passages) + 1
            by_chunk[chunk_id] = n
            passages.append(NumberedPassage(n=n, title=chunk.title, section=chunk.section,
                                            text=chunk.text, kind=kind))
            citations[n] = Citation(n=n, chunk_id=chunk_id, doc_id=chunk.doc_id, title=chunk.title,
                                    section=chunk.section, text=chunk.text, start=chunk.start,
                                    end=chunk.end, score=score)
            return n

        def evidence_numbers(evidence: list[Evidence]) -> list[int]:
            found = [self._locator.find(e.doc_id, e.quote) for e in evidence]
            return [number(s.chunk, 0.0, "evidence") for s in found if s is not None]

        reason_refs: list[list[int]] = []
        retrieved: list[int] = []  # the retrieved chunks' markers, in retrieval order
        warning_refs: list[list[int]] = []
        if covered:
            reason_refs = [evidence_numbers(r.evidence) for r in recommendation.reasons]
            warning_refs = [evidence_numbers(w.evidence) for w in recommendation.warnings]
            retrieved = list(dict.fromkeys(number(p, p.score, "retrieved")
                                           for p in result.passages))
        case_known = bool(situation.known())
        lead = Lead()  # the passage sentences that answer a question about the articles
        if covered:  # a case question too: its verdict is followed by what answers it
            # every retrieved chunk is a candidate, in retrieval order, also one a reason
            # already cites (numbered first, as evidence)
            lead = self._leads.find(asked, [passages[n - 1] for n in retrieved], users,
                                    number=lambda stored: number(stored.chunk, 0.0, "retrieved"))
        ctx = ComposeContext(
            question=users[-1], conversation=users[:-1], covered=covered, passages=passages,
            recommendation=recommendation, reason_passages=reason_refs,
            warning_passages=warning_refs, changes=changes, asked=asked.kind,
            asked_approach=asked.approach, case_known=case_known, answer=lead,
        )
        return _Turn(ctx, citations, situation, source, timings, reasons)

    def assess(self, messages: Sequence[ChatMessage]) -> Assessment:
        """The situation and the recommendation for a conversation, without retrieval or an
        answer: one extraction (through the configured model) and the rules."""
        validate(messages, max_chars=self.settings.max_message_chars,
                 max_turns=self.settings.max_turns)
        t = time.perf_counter()
        _, situation, source, reasons = self._extractor.situations(case_messages(messages))
        extract_ms = _ms(t)
        t = time.perf_counter()
        recommendation = decide(situation)
        return Assessment(situation=situation, recommendation=recommendation, extraction=source,
                          fallback_reasons=reasons,
                          timings_ms={"extract": extract_ms, "decide": _ms(t)})

    def _check(self, turn: _Turn, answer: str, finish_reason: str | None) -> CheckedAnswer:
        return check_answer(answer, turn.ctx, set(turn.citations), from_model=self._real_model,
                            finish_reason=finish_reason, max_tokens=self.settings.llm_max_tokens)

    def _compose_failed(self, turn: _Turn, exc: Exception) -> CheckedAnswer:
        """A compose call that raised: unreachable or too slow is ModelUnavailable; a request
        the server turned down (a prompt over its context, say) gets the offline answer."""
        if not self._real_model:
            raise exc
        if classify_failure(exc) == "unavailable":
            raise unavailable(exc, self.settings.llm_timeout_s) from exc
        return fallback(turn.ctx, set(turn.citations),
                        f"the model failed to answer ({type(exc).__name__}: {str(exc)[:200]}); "
                        "the offline answer is shown")

    def _reply(self, turn: _Turn, checked: CheckedAnswer, compose_ms: float,
               streamed: str | None = None) -> AdvisorReply:
        rec = turn.ctx.recommendation
        return AdvisorReply(
            answer=checked.answer,
            citations=[turn.citations[n] for n in sorted(cited_numbers(checked.answer))],
            recommendation=rec,
            situation=turn.situation,
            follow_up_questions=[q.question for q in rec.follow_up_questions],
            changes=turn.ctx.changes,
            covered=turn.ctx.covered,
            model=self.model_name,
            extraction=turn.extraction,  # type: ignore[arg-type]
            composition=checked.composition,  # type: ignore[arg-type]
            fallback_reasons=[*turn.fallback_reasons, *checked.reasons],
            answer_revised=streamed is not None and streamed != checked.answer,
            invalid_citations_removed=checked.removed,
            timings_ms={**turn.timings, "compose": compose_ms},
        )

    def ask(self, messages: Sequence[ChatMessage], k: int | None = None) -> AdvisorReply:
        if self._real_model:
            # A real model is streamed underneath too: the time bound then holds for the whole
            # answer, and a stream given up on stops the server's generation (llama.cpp's
            # server finishes a non-streamed request whoever is still waiting for it).
            reply: AdvisorReply | None = None
            for event in self.stream(messages, k):
                reply = event.reply or reply
            assert reply is not None
            return reply.model_copy(update={"answer_revised": False})
        turn = self._prepare(messages, k)
        t = time.perf_counter()
        checked = self._check(turn, self.llm.invoke(compose_messages(turn.ctx)).text, None)
        return self._reply(turn, checked, _ms(t))

    def stream(self, messages: Sequence[ChatMessage], k: int | None = None) -> Iterator[StreamEvent]:
        """The model's text deltas as it writes, then one event with the whole checked reply
        (``answer_revised`` when its answer is not the text streamed)."""
        turn = self._prepare(messages, k)
        t = time.perf_counter()
        deadline = time.monotonic() + self.settings.llm_timeout_s
        parts: list[str] = []
        finish: str | None = None
        overdue = False
        chunks = self.llm.stream(compose_messages(turn.ctx))
        try:
            for chunk in chunks:
                finish = chunk.response_metadata.get("finish_reason") or finish
                piece = chunk.text
                if piece:
                    parts.append(piece)
                    yield StreamEvent(type="delta", text=piece)
                if self._real_model and time.monotonic() > deadline:
                    overdue = True  # still writing at the time bound: a runaway
                    break
            checked = (fallback(turn.ctx, set(turn.citations), "the model was still writing "
                                "after ADVISOR_LLM_TIMEOUT_S; the offline answer is shown")
                       if overdue else self._check(turn, "".join(parts), finish))
        except Exception as exc:  # noqa: BLE001 - told apart in _compose_failed
            checked = self._compose_failed(turn, exc)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # ends the HTTP stream: the server stops writing
        yield StreamEvent(type="reply", reply=self._reply(turn, checked, _ms(t), "".join(parts)))
