"""Answer evaluation: whole conversations through ``Advisor.ask``, judged on what a user sees.

Dataset (``evals/datasets/answers.jsonl``), one object a line::

    {"id": "m01", "kind": "follow_up",
     "turns": ["user message 1", "user message 2"],
     "expect": {"covered": true,
                "approach_after_each_turn": ["rag", ["hybrid", "fine_tuning"]],
                "cites_doc": ["decision-framework-for-production-ai"]}}

* ``turns``: the user's messages. The runner sends them one at a time; before turn *i* the
  conversation holds the earlier user messages and the advisor's own earlier answers as
  assistant messages, as a chat client would.
* ``expect.covered``: whether the articles cover the question (``false`` = the advisor should
  abstain); one boolean for every turn, or a list with one per turn.
* ``expect.approach_after_each_turn``: one entry per turn: ``null`` (not judged), a label, or a
  list whose first label is the expected one and the rest acceptable alternatives.
* ``expect.cites_doc`` (optional): at least one of these documents should be cited in the
  last reply (for questions about a particular article).
* ``expect.answers`` (optional): for a question about what the articles say, the verbatim
  sentence(s) of the articles that answer it (any one will do); judged on the last reply.
* ``kind`` (optional, free text): ``article``, ``knowledge``, ``situation``, ``follow_up``,
  ``mixed``, ``uncovered``; used to group results in the report.

A knowledge question may also be written as one line in the question-bank form
``{"id": "q1", "question": "...", "answers": ["verbatim sentence"], "doc": "article-id"}``: it
reads as a one-turn ``knowledge`` case, covered, not judged on approach, with ``doc`` (optional,
a string or a list) as ``cites_doc``.

Metrics (every reply of every conversation counts):

``citation_validity``
    share of ``[n]`` markers in the answers whose ``n`` is one of the reply's citations
    (a marker that points at nothing is a fabricated source). Must be 1.0.
``citation_verbatim``
    share of citations whose text is, character for character, the slice
    ``text[start:end]`` of the article it names (checked when the article is known).
``citation_support``
    share of *cited sentences* whose cited passages support them, by lexical overlap. The
    answer is split into lines and each line into sentences (a run of markers right after a
    sentence's full stop stays with that sentence); a cited sentence is one holding at least
    one valid marker. Its *support* is the share of its distinct content terms
    (``advisor.text.words.content_terms``: lower-cased words without a wide English stop
    list, Snowball-stemmed, markers and Markdown removed) that occur among the content terms
    of the passages it cites (title, section and text, all cited passages pooled). A
    sentence is supported when its support is at least ``SUPPORT_THRESHOLD`` (0.5).
    ``citation_support_mean`` is the mean support. Lexical overlap cannot tell a
    paraphrase that inverts the passage's meaning from a faithful one; it does catch a
    claim attached to an unrelated passage, which is the failure a wrong marker produces.
``abstention_rate``
    share of uncovered turns on which the advisor abstained (``covered`` false).
``false_abstention_rate``
    share of covered turns on which it abstained anyway.
``uncovered_citations``
    markers in answers to uncovered turns (an abstention should cite nothing).
``approach_accuracy``
    share of judged turns whose recommendation is the expected approach or an acceptable
    one; ``approach_accuracy_on_change`` restricts that to follow-up turns whose expected
    approach differs from the previous turn's (did the advice change when it should?).
``source_cited``
    share of cases with ``cites_doc`` whose last reply cites one of those documents.
``lead_answer_rate``
    share of cases with ``answers`` whose last reply holds one of them, normalised, within
    its first 500 characters (DESIGN.md §3; ``evals.answer_quality``).
    ``answer_anywhere_rate``: the same anywhere in the answer (shown, not gated).
``quote_relevance``
    share of the article quotations in covered replies (``“…” [n]``) that stand alone and bear
    on the question or the recommended approach (defined in ``evals.answer_quality``).
``latency_ms_p50`` / ``latency_ms_p95``
    wall time of each ``ask`` call. ``invalid_citations_removed``: the total the service
    reports (markers the composer wrote that pointed at no supplied passage).

The library prints nothing; the CLI decides what to show.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.schemas.decision import APPROACHES
from advisor.text.words import content_terms
from evals.answer_quality import answer_found, quote_fits, quotes
from evals.jsonl import DatasetError, load_jsonl  # noqa: F401 - DatasetError is re-exported
from evals.metrics import percentile
from evals.report import format_value

__all__ = [
    "SUPPORT_THRESHOLD",
    "AnswerCase",
    "Expectation",
    "citation_support",
    "citation_validity",
    "cited_sentences",
    "evaluate",
    "format_report",
    "load_cases",
    "markers",
    "sentence_support",
]

SUPPORT_THRESHOLD = 0.5
PREVIEW_CHARS = 120

_MARKER = re.compile(r"\[(\d{1,3})\]")
# A sentence ends at . ! ? (optionally closed by a quote or bracket) followed by white space,
# unless what follows is a marker: "... retraining. [1][2]" keeps its markers.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[^\s\[])")
_MARKDOWN = re.compile(r"\*\*|__|`|^\s*(?:[-*+]|\d+[.)])\s+|^#+\s*", re.MULTILINE)


# ---------------------------------------------------------------------------- dataset

ApproachExpectation = str | list[str] | None


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    covered: bool | list[bool] = True
    approach_after_each_turn: list[ApproachExpectation] | None = None
    cites_doc: list[str] = Field(default_factory=list)
    answers: list[str] = Field(
        default_factory=list,
        description="Verbatim article sentences that answer the (last) question, any one will do.",
    )

    @field_validator("answers")
    @classmethod
    def _answers_have_text(cls, value: list[str]) -> list[str]:
        if any(not a.strip() for a in value):
            raise ValueError("an answer sentence is blank")
        return value

    @field_validator("approach_after_each_turn")
    @classmethod
    def _labels(cls, value: list[ApproachExpectation] | None) -> list[ApproachExpectation] | None:
        for entry in value or []:
            labels = [entry] if isinstance(entry, str) else entry or []
            if isinstance(entry, list) and not entry:
                raise ValueError("an empty list of labels: use null for 'not judged'")
            for label in labels:
                if label not in APPROACHES:
                    raise ValueError(f"unknown approach {label!r} (one of {', '.join(APPROACHES)})")
        return value


class AnswerCase(BaseModel):
    """One conversation and what the advisor should do at each of its turns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    kind: str = ""
    turns: list[str] = Field(min_length=1)
    expect: Expectation = Field(default_factory=Expectation)

    @model_validator(mode="before")
    @classmethod
    def _question_form(cls, data: Any) -> Any:
        """``{"id", "question", "answers", "doc"?}`` as a one-turn knowledge question."""
        if not isinstance(data, dict) or "question" not in data or "turns" in data:
            return data
        rest = {k: v for k, v in data.items() if k not in {"question", "answers", "doc"}}
        doc = data.get("doc")
        docs = [doc] if isinstance(doc, str) else list(doc or [])
        return {
            "kind": "knowledge", **rest, "turns": [data["question"]],
            "expect": {"covered": True, "approach_after_each_turn": [None],
                       "answers": data.get("answers", []), "cites_doc": docs},
        }

    @field_validator("turns")
    @classmethod
    def _turns_have_text(cls, value: list[str]) -> list[str]:
        if any(not t.strip() for t in value):
            raise ValueError("a turn is blank")
        return value

    @model_validator(mode="after")
    def _lengths(self) -> AnswerCase:
        n = len(self.turns)
        approaches = self.expect.approach_after_each_turn
        if approaches is not None and len(approaches) != n:
            raise ValueError(
                f"approach_after_each_turn has {len(approaches)} entries for {n} turns"
            )
        if isinstance(self.expect.covered, list) and len(self.expect.covered) != n:
            raise ValueError(f"covered has {len(self.expect.covered)} entries for {n} turns")
        return self

    def covered_at(self, turn: int) -> bool:
        c = self.expect.covered
        return c[turn] if isinstance(c, list) else c

    def approaches_at(self, turn: int) -> list[str]:
        """Accepted labels at ``turn`` (the expected one first); empty = not judged."""
        entries = self.expect.approach_after_each_turn
        entry = entries[turn] if entries is not None else None
        if entry is None:
            return []
        return [entry] if isinstance(entry, str) else list(entry)


def load_cases(path: str | Path) -> list[AnswerCase]:
    """Read and validate an answers JSONL file (``DatasetError`` names the file and line)."""
    return load_jsonl(path, AnswerCase)


# ---------------------------------------------------------------------------- pure metrics


def markers(answer: str) -> list[int]:
    """Every ``[n]`` marker in the answer, in order, repeats included."""
    return [int(m.group(1)) for m in _MARKER.finditer(answer)]


def citation_validity(answer: str, cited: set[int] | Mapping[int, Any]) -> tuple[int, int]:
    """(markers pointing at a supplied citation, all markers)."""
    found = markers(answer)
    return sum(1 for n in found if n in cited), len(found)


def cited_sentences(answer: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences that carry markers: (sentence without markers, its numbers)."""
    out: list[tuple[str, list[int]]] = []
    for line in answer.splitlines():
        for sentence in _SENTENCE_END.split(line):
            numbers = markers(sentence)
            if not numbers:
                continue
            text = _MARKDOWN.sub(" ", _MARKER.sub(" ", sentence))
            out.append((" ".join(text.split()), list(dict.fromkeys(numbers))))
    return out


def sentence_support(sentence: str, passages: Sequence[str]) -> float | None:
    """Share of the sentence's distinct content terms found in the passages (None: no terms)."""
    terms = set(content_terms(sentence))
    if not terms:
        return None
    pooled: set[str] = set()
    for passage in passages:
        pooled.update(content_terms(passage))
    return len(terms & pooled) / len(terms)


def citation_support(
    answer: str, passages: Mapping[int, str], threshold: float = SUPPORT_THRESHOLD
) -> list[dict[str, Any]]:
    """Per cited sentence: its text, numbers, support score and whether it is supported.

    ``passages`` maps a marker number to the text it cites. Markers with no passage are
    ignored here (``citation_validity`` counts them); a sentence whose markers all point
    nowhere, or that has no content terms, is left out.
    """
    rows: list[dict[str, Any]] = []
    for sentence, numbers in cited_sentences(answer):
        texts = [passages[n] for n in numbers if n in passages]
        if not texts:
            continue
        score = sentence_support(sentence, texts)
        if score is None:
            continue
        rows.append(
            {
                "sentence": sentence,
                "cites": numbers,
                "support": round(score, 4),
                "supported": score >= threshold,
            }
        )
    return rows


# ---------------------------------------------------------------------------- runner

AskFn = Callable[[list[Any]], Any]
"""ask(messages: list[ChatMessage]) -> AdvisorReply."""


def _last_turn_failure(case: Any, problem: str) -> dict[str, Any]:
    """A whole-case check that failed, reported against the case's last turn."""
    return {"id": case.id, "turn": len(case.turns), "kind": case.kind,
            "message": _preview(case.turns[-1]), "problems": [problem]}


def _preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _citation_passage(c: Any) -> str:
    return "\n".join(part for part in (c.title, c.section, c.text) if part)


def evaluate(
    cases: Sequence[AnswerCase],
    ask: AskFn,
    *,
    documents: Mapping[str, str] | None = None,
    threshold: float = SUPPORT_THRESHOLD,
) -> dict[str, Any]:
    """Run every conversation through ``ask`` and compute the metrics (prints nothing).

    ``documents`` (doc id -> article text) enables the verbatim check of citations.
    Returns the headline metrics plus ``latencies_ms`` (every reply), ``stage_ms_p50``
    (median of each ``timings_ms`` stage), ``per_turn`` and ``failures`` (turns that broke
    an expectation, with the reason).
    """
    from advisor.schemas.reply import ChatMessage

    if not cases:
        raise ValueError("no cases to evaluate")
    markers_ok = markers_total = 0
    verbatim_ok = verbatim_total = 0
    support_rows: list[dict[str, Any]] = []
    uncovered_turns = abstained_uncovered = covered_turns = abstained_covered = 0
    uncovered_citations = 0
    judged = correct = change_judged = change_correct = 0
    source_cases = source_ok = 0
    knowledge_cases = lead_ok = anywhere_ok = 0
    quotes_total = quotes_fit = 0
    unfit_quotes: list[dict[str, Any]] = []
    removed = 0
    latencies: list[float] = []
    stages: dict[str, list[float]] = {}
    per_turn: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []

    for case in cases:
        messages: list[ChatMessage] = []
        reply = None
        for i, text in enumerate(case.turns):
            messages.append(ChatMessage(role="user", content=text))
            started = time.perf_counter()
            reply = ask(list(messages))
            latencies.append((time.perf_counter() - started) * 1000.0)
            messages.append(ChatMessage(role="assistant", content=reply.answer))
            for stage, ms in (reply.timings_ms or {}).items():
                stages.setdefault(stage, []).append(float(ms))
            removed += int(reply.invalid_citations_removed or 0)
            problems: list[str] = []

            by_n = {c.n: c for c in reply.citations}
            ok, total = citation_validity(reply.answer, by_n)
            markers_ok, markers_total = markers_ok + ok, markers_total + total
            if ok < total:
                problems.append(f"{total - ok} marker(s) point at no citation")
            for c in reply.citations:
                doc = (documents or {}).get(c.doc_id)
                if doc is not None:
                    verbatim_total += 1
                    if doc[c.start : c.end] == c.text:
                        verbatim_ok += 1
                    else:
                        problems.append(f"citation [{c.n}] is not verbatim from {c.doc_id}")
            rows = citation_support(
                reply.answer, {n: _citation_passage(c) for n, c in by_n.items()}, threshold
            )
            support_rows += rows
            for row in rows:
                if not row["supported"]:
                    problems.append(
                        f"weakly supported ({row['support']:.2f}) by {row['cites']}: "
                        f"{_preview(row['sentence'], 80)}"
                    )

            if reply.covered:
                said = list(case.turns[: i + 1])
                situation = getattr(reply, "situation", None)
                known = situation is None or bool(situation.known())
                recommended = reply.recommendation.approach if known else None
                for quoted, _numbers in quotes(reply.answer):
                    quotes_total += 1
                    if quote_fits(quoted, said, recommended):
                        quotes_fit += 1
                    else:
                        unfit_quotes.append({"id": case.id, "turn": i + 1,
                                             "quote": _preview(quoted, 100)})

            expect_covered = case.covered_at(i)
            if expect_covered:
                covered_turns += 1
                if not reply.covered:
                    abstained_covered += 1
                    problems.append("abstained on a covered question")
            else:
                uncovered_turns += 1
                uncovered_citations += total
                if reply.covered:
                    problems.append("answered a question the articles do not cover")
                else:
                    abstained_uncovered += 1

            accepted = case.approaches_at(i)
            approach = reply.recommendation.approach
            approach_ok = None
            if accepted:
                judged += 1
                approach_ok = approach in accepted
                correct += approach_ok
                previous = case.approaches_at(i - 1) if i > 0 else []
                if previous and previous[0] != accepted[0]:
                    change_judged += 1
                    change_correct += approach_ok
                if not approach_ok:
                    problems.append(f"recommended {approach}, expected {'/'.join(accepted)}")

            per_turn.append(
                {
                    "id": case.id,
                    "turn": i + 1,
                    "kind": case.kind,
                    "covered": reply.covered,
                    "expected_covered": expect_covered,
                    "approach": approach,
                    "expected_approach": accepted or None,
                    "approach_ok": approach_ok,
                    "markers": total,
                    "valid_markers": ok,
                    "latency_ms": round(latencies[-1], 2),
                }
            )
            if problems:
                failures.append(
                    {
                        "id": case.id,
                        "turn": i + 1,
                        "kind": case.kind,
                        "message": _preview(text),
                        "problems": problems,
                    }
                )

        if case.expect.answers and reply is not None:
            knowledge_cases += 1
            anywhere_ok += answer_found(reply.answer, case.expect.answers, within=None)
            if answer_found(reply.answer, case.expect.answers):
                lead_ok += 1
            else:
                failures.append(
                    _last_turn_failure(case, "no answering sentence in the first 500 characters")
                )

        if case.expect.cites_doc and reply is not None:
            source_cases += 1
            cited_docs = {c.doc_id for c in reply.citations}
            if cited_docs & set(case.expect.cites_doc):
                source_ok += 1
            else:
                failures.append(
                    _last_turn_failure(case, f"cites none of {case.expect.cites_doc}")
                )

    supported = sum(1 for r in support_rows if r["supported"])
    metrics: dict[str, Any] = {
        "n": len(cases),
        "turns": len(latencies),
        "citation_validity": _ratio(markers_ok, markers_total),
        "citation_verbatim": _ratio(verbatim_ok, verbatim_total),
        "citation_support": _ratio(supported, len(support_rows)),
        "citation_support_mean": _ratio(sum(r["support"] for r in support_rows), len(support_rows)),
        "abstention_rate": _ratio(abstained_uncovered, uncovered_turns),
        "false_abstention_rate": _ratio(abstained_covered, covered_turns),
        "uncovered_citations": uncovered_citations,
        "approach_accuracy": _ratio(correct, judged),
        "approach_accuracy_on_change": _ratio(change_correct, change_judged),
        "source_cited": _ratio(source_ok, source_cases),
        "lead_answer_rate": _ratio(lead_ok, knowledge_cases),
        "answer_anywhere_rate": _ratio(anywhere_ok, knowledge_cases),
        "quote_relevance": _ratio(quotes_fit, quotes_total),
        "knowledge_questions": knowledge_cases,
        "quotes": quotes_total,
        "unfit_quotes": unfit_quotes,
        "invalid_citations_removed": removed,
        "markers": markers_total,
        "cited_sentences": len(support_rows),
        "covered_turns": covered_turns,
        "uncovered_turns": uncovered_turns,
        "judged_turns": judged,
        "change_turns": change_judged,
        "source_cases": source_cases,
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
        "stage_ms_p50": {k: round(percentile(v, 50), 3) for k, v in sorted(stages.items())},
        "latencies_ms": [round(v, 3) for v in latencies],
        "weakest_sentences": sorted(support_rows, key=lambda r: r["support"])[:5],
        "per_turn": per_turn,
        "failures": failures,
    }
    return metrics


def _fmt(value: Any) -> str:
    return format_value(value, missing="n/a")


def format_report(metrics: dict[str, Any]) -> str:
    """A human-readable summary of ``evaluate``'s result."""
    m = metrics
    lines = [
        f"answers: {m['n']} conversations, {m['turns']} replies",
        f"  citation validity  {_fmt(m['citation_validity'])}  ({m['markers']} markers; must be 1.000)",
        f"  citation verbatim  {_fmt(m['citation_verbatim'])}",
        (
            f"  citation support   {_fmt(m['citation_support'])}  ({m['cited_sentences']} cited "
            f"sentences with >= {SUPPORT_THRESHOLD:.0%} of their content terms in the cited passages; "
            f"mean {_fmt(m['citation_support_mean'])})"
        ),
        (
            f"  abstention         {_fmt(m['abstention_rate'])} of {m['uncovered_turns']} uncovered "
            f"turns; false abstention {_fmt(m['false_abstention_rate'])} of {m['covered_turns']} "
            f"covered turns; {m['uncovered_citations']} markers in abstentions"
        ),
        (
            f"  approach accuracy  {_fmt(m['approach_accuracy'])} over {m['judged_turns']} judged turns; "
            f"on turns where the advice should change {_fmt(m['approach_accuracy_on_change'])}"
        ),
        f"  expected source cited {_fmt(m['source_cited'])}",
        (
            f"  leads with the answer {_fmt(m['lead_answer_rate'])} of {m['knowledge_questions']} "
            f"knowledge questions (an answering sentence in the first 500 characters; anywhere "
            f"{_fmt(m['answer_anywhere_rate'])})"
        ),
        f"  quote relevance    {_fmt(m['quote_relevance'])} of {m['quotes']} quotes",
        f"  invalid citations removed by the service: {m['invalid_citations_removed']}",
        f"  latency per reply  p50 {m['latency_ms_p50']:.1f} ms, p95 {m['latency_ms_p95']:.1f} ms"
        + (
            "  (stages p50: "
            + ", ".join(f"{k} {v:.1f}" for k, v in m["stage_ms_p50"].items())
            + ")"
            if m.get("stage_ms_p50")
            else ""
        ),
    ]
    failures = m.get("failures") or []
    lines.append(f"Turns that broke an expectation: {len(failures)}")
    for f in failures:
        lines.append(f"  [{f['id']} turn {f['turn']}] {f['message']}")
        lines += [f"      - {p}" for p in f["problems"]]
    return "\n".join(lines)
