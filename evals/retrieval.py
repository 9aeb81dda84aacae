"""Retrieval evaluation: load a JSONL set of questions with evidence quotes, run a
search function over it, and report hit@k, MRR@10 and evidence recall@k.

The dataset contract (DESIGN.md §3), one object a line::

    {"id": "r01", "question": "...", "evidence": [{"quote": "verbatim text", "doc": "doc-id"}]}

``doc`` is optional. Blank lines are allowed; anything else that is not a valid
case is an error naming the file and the line.

The library functions print nothing; the CLI decides what to show.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from evals.jsonl import DatasetError, load_jsonl
from evals.metrics import (
    first_relevant_rank,
    hit_rate,
    mean_reciprocal_rank,
    normalize,
    percentile,
    quotes_found_at_k,
)

__all__ = [
    "DatasetError",
    "Evidence",
    "RetrievalCase",
    "load_cases",
    "evaluate",
    "format_report",
    "SearchFn",
]

SearchFn = Callable[[str, int], list[str]]
"""search(question, n) -> texts of the top-n passages, best first."""

MRR_DEPTH = 10
PREVIEW_CHARS = 160


class Evidence(BaseModel):
    """A verbatim quote from an article that a relevant passage must contain."""

    model_config = ConfigDict(frozen=True)

    quote: str = Field(min_length=1, description="Verbatim text from an article.")
    doc: str | None = Field(None, description="Id of the article the quote comes from.")
    judged: str | None = Field(
        None,
        description="How the quote was added: absent when written with the question; "
        "'pooled' when an assessor found it among the pooled top passages of two retrievers.",
    )

    @field_validator("quote")
    @classmethod
    def _quote_has_text(cls, value: str) -> str:
        if not normalize(value):
            raise ValueError("quote is empty after normalization")
        return value

    @field_validator("doc")
    @classmethod
    def _doc_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("doc, when given, must be a non-empty document id")
        return value


class RetrievalCase(BaseModel):
    """One question and the evidence a good retriever should surface for it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    evidence: list[Evidence] = Field(min_length=1)

    @field_validator("id", "question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @property
    def quotes(self) -> list[str]:
        return [e.quote for e in self.evidence]

    @property
    def written_quotes(self) -> list[str]:
        """The quotes written with the question (pooled judgments left out)."""
        return [e.quote for e in self.evidence if e.judged is None]


def load_cases(path: str | Path) -> list[RetrievalCase]:
    """Read and validate a retrieval JSONL file.

    Raises ``DatasetError`` (a ``ValueError``) naming the file and line number for
    bad JSON, a line that is not an object, missing or empty fields, empty quotes,
    duplicate ids, or a file with no cases; ``FileNotFoundError`` if it is missing.
    """
    return load_jsonl(path, RetrievalCase)


def _preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def evaluate(cases: Sequence[RetrievalCase], search: SearchFn, k: int = 5) -> dict[str, Any]:
    """Run ``search`` over every case and compute the retrieval metrics.

    ``search(question, n)`` must return the texts of the top-n passages in rank
    order; it is asked for ``max(k, 10)`` so that MRR@10 can be computed.

    Returns a dict with at least ``hit@1``, ``hit@3``, ``hit@5``, ``hit@{k}``,
    ``mrr@10``, ``evidence_recall@5``, ``evidence_recall@{k}`` (share of all quotes
    found), ``n``, ``k``, ``hit_curve`` ({i: hit@i for i in 1..max(k, 10)}),
    ``misses`` (cases with nothing relevant in the top k: id, question,
    top_passage preview, first expected quote), ``per_case`` (id, rank of the first
    relevant passage or None, the same against the written quotes only, quotes found in the
    top k, number of quotes) and search latency ``latency_ms_p50`` / ``latency_ms_p95``. When some quotes were added by
    pooled judgment, also ``written_hit@1``, ``written_hit@3`` and ``written_mrr@10``: the same
    run scored against the quotes written with the questions only.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if not cases:
        raise ValueError("no cases to evaluate")
    depth = max(k, MRR_DEPTH)
    recall_ks = sorted({5, k})

    ranks: list[int | None] = []
    written_ranks: list[int | None] = []  # against the quotes written with the questions only
    found_at: dict[int, int] = {rk: 0 for rk in recall_ks}
    total_quotes = 0
    latencies_ms: list[float] = []
    misses: list[dict[str, Any]] = []
    per_case: list[dict[str, Any]] = []

    for case in cases:
        started = time.perf_counter()
        result = search(case.question, depth)
        latencies_ms.append((time.perf_counter() - started) * 1000.0)
        passages = list(result)[:depth]
        for i, passage in enumerate(passages):
            if not isinstance(passage, str):
                raise TypeError(
                    f"search() must return passage texts (str); got {type(passage).__name__} "
                    f"at position {i} for case {case.id!r}"
                )
        quotes = case.quotes
        rank = first_relevant_rank(passages, quotes)
        ranks.append(rank)
        written_ranks.append(first_relevant_rank(passages, case.written_quotes))
        total_quotes += len(quotes)
        for rk in recall_ks:
            found_at[rk] += quotes_found_at_k(passages, quotes, rk)
        per_case.append(
            {
                "id": case.id,
                "rank": rank,
                "written_rank": written_ranks[-1],
                f"quotes_found@{k}": quotes_found_at_k(passages, quotes, k),
                "quotes": len(quotes),
            }
        )
        if rank is None or rank > k:
            misses.append(
                {
                    "id": case.id,
                    "question": case.question,
                    "top_passage": _preview(passages[0]) if passages else "",
                    "expected": _preview(quotes[0]),
                }
            )

    n = len(cases)

    metrics: dict[str, Any] = {"n": n, "k": k}
    for i in sorted({1, 3, 5, k}):
        metrics[f"hit@{i}"] = hit_rate(ranks, i)
    metrics["mrr@10"] = mean_reciprocal_rank(ranks, MRR_DEPTH)
    for rk in recall_ks:
        metrics[f"evidence_recall@{rk}"] = found_at[rk] / total_quotes
    if any(e.judged for case in cases for e in case.evidence):
        for i in (1, 3):
            metrics[f"written_hit@{i}"] = hit_rate(written_ranks, i)
        metrics["written_mrr@10"] = mean_reciprocal_rank(written_ranks, MRR_DEPTH)
    metrics["hit_curve"] = {i: hit_rate(ranks, i) for i in range(1, depth + 1)}
    metrics["latency_ms_p50"] = percentile(latencies_ms, 50)
    metrics["latency_ms_p95"] = percentile(latencies_ms, 95)
    metrics["misses"] = misses
    metrics["per_case"] = per_case
    return metrics


def format_report(metrics: dict[str, Any]) -> str:
    """A short human-readable summary of ``evaluate``'s result."""
    k = metrics.get("k", 5)
    lines = [f"Retrieval evaluation: {metrics['n']} questions, k={k}"]
    hit_keys = sorted(
        (key for key in metrics if key.startswith("hit@")), key=lambda s: int(s.split("@")[1])
    )
    lines.append("  " + "  ".join(f"{key} {metrics[key]:.3f}" for key in hit_keys))
    lines.append(f"  mrr@10 {metrics['mrr@10']:.3f}")
    recall_keys = sorted(
        (key for key in metrics if key.startswith("evidence_recall@")),
        key=lambda s: int(s.split("@")[1]),
    )
    lines.append("  " + "  ".join(f"{key} {metrics[key]:.3f}" for key in recall_keys))
    if "written_mrr@10" in metrics:
        lines.append(
            "  against the quotes written with the questions only (pooled judgments left out): "
            f"hit@1 {metrics['written_hit@1']:.3f}  hit@3 {metrics['written_hit@3']:.3f}  "
            f"mrr@10 {metrics['written_mrr@10']:.3f}"
        )
    if "latency_ms_p50" in metrics:
        lines.append(
            f"  search latency p50 {metrics['latency_ms_p50']:.1f} ms, "
            f"p95 {metrics['latency_ms_p95']:.1f} ms"
        )
    curve = metrics.get("hit_curve") or {}
    if curve:
        points = sorted(curve.items(), key=lambda kv: int(kv[0]))
        lines.append("  hit curve: " + " ".join(f"{i}:{v:.2f}" for i, v in points))
    misses = metrics.get("misses") or []
    lines.append(f"Misses (nothing relevant in the top {k}): {len(misses)}")
    for miss in misses:
        lines.append(f"  [{miss['id']}] {miss['question']}")
        lines.append(f"      expected: {miss.get('expected', '')}")
        lines.append(f"      top hit:  {miss['top_passage'] or '(no passages)'}")
    return "\n".join(lines)
