"""Pure metric functions for the evaluation suites (no I/O, no globals with state).

Two families live here:

* passage-text metrics for the retrieval set (DESIGN.md §3): a passage is relevant
  to an item when its ``normalize``-d text contains the ``normalize``-d text of at
  least one of the item's evidence quotes;
* id-based graded metrics for a BEIR run (nDCG@k, recall@k, MRR@k), following the
  BEIR / trec_eval definitions.

Ranks are 1-based throughout. Classification metrics live in ``evals.decisions``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "normalize",
    "is_relevant",
    "first_relevant_rank",
    "hit_at_k",
    "reciprocal_rank",
    "hit_rate",
    "mean_reciprocal_rank",
    "quotes_found_at_k",
    "evidence_recall_at_k",
    "ndcg_at_k",
    "recall_at_k",
    "mrr_at_k",
    "percentile",
]

# Applied after NFKC (which leaves these characters alone).
_PUNCT = str.maketrans(
    {
        "\u2019": "'",  # ’ right single quotation mark (also the typographic apostrophe)
        "\u2018": "'",  # ‘ left single quotation mark
        "\u201c": '"',  # “ left double quotation mark
        "\u201d": '"',  # ” right double quotation mark
        "\u2013": "-",  # – en dash
        "\u2014": "-",  # — em dash
    }
)
_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Normalize text for containment tests, exactly as DESIGN.md §3 specifies.

    Unicode NFKC, lower case, curly quotes to straight (’‘ to ', “” to "), en and
    em dashes to ``-``, runs of white space to one space, stripped.
    """
    text = unicodedata.normalize("NFKC", text).lower().translate(_PUNCT)
    return _WHITESPACE.sub(" ", text).strip()


def _normalized_quotes(quotes: Iterable[str]) -> list[str]:
    # A quote that normalizes to "" would be contained in every passage: ignore it.
    return [q for q in (normalize(quote) for quote in quotes) if q]


def is_relevant(passage_text: str, quotes: Iterable[str]) -> bool:
    """True when the passage contains (after normalization) at least one quote."""
    passage = normalize(passage_text)
    return any(q in passage for q in _normalized_quotes(quotes))


def first_relevant_rank(passages: Sequence[str], quotes: Iterable[str]) -> int | None:
    """1-based rank of the first relevant passage, or None when none is relevant."""
    norm_quotes = _normalized_quotes(quotes)
    for rank, text in enumerate(passages, start=1):
        passage = normalize(text)
        if any(q in passage for q in norm_quotes):
            return rank
    return None


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")


def hit_at_k(passages: Sequence[str], quotes: Iterable[str], k: int) -> float:
    """1.0 when a relevant passage is among the first k, else 0.0."""
    _check_k(k)
    return 1.0 if first_relevant_rank(passages[:k], quotes) is not None else 0.0


def reciprocal_rank(passages: Sequence[str], quotes: Iterable[str], k: int = 10) -> float:
    """1/rank of the first relevant passage within the first k (MRR@k per item), else 0."""
    _check_k(k)
    rank = first_relevant_rank(passages[:k], quotes)
    return 1.0 / rank if rank is not None else 0.0


def hit_rate(ranks: Sequence[int | None], k: int) -> float:
    """Share of items whose first relevant passage ranks ``k`` or better (None: not found)."""
    _check_k(k)
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def mean_reciprocal_rank(ranks: Sequence[int | None], k: int = 10) -> float:
    """Mean of 1/rank over items, counting a first relevant rank beyond ``k`` (or None) as 0."""
    _check_k(k)
    return sum(1.0 / r for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def quotes_found_at_k(passages: Sequence[str], quotes: Sequence[str], k: int) -> int:
    """How many of the quotes occur (normalized) in at least one of the first k passages."""
    _check_k(k)
    top = [normalize(text) for text in passages[:k]]
    found = 0
    for quote in quotes:
        q = normalize(quote)
        if q and any(q in passage for passage in top):
            found += 1
    return found


def evidence_recall_at_k(passages: Sequence[str], quotes: Sequence[str], k: int) -> float:
    """Share of this item's quotes found in the first k passages (0.0 with no quotes).

    The dataset-level evidence recall@k (DESIGN.md §3) is the share of *all* quotes
    found, i.e. the sum of ``quotes_found_at_k`` over items divided by the total
    number of quotes, not the mean of this per-item value.
    """
    if not quotes:
        return 0.0
    return quotes_found_at_k(passages, quotes, k) / len(quotes)


# ---------------------------------------------------------------- graded (BEIR) metrics


def _dedupe(ranked_ids: Iterable[str]) -> list[str]:
    # A document retrieved twice counts once, at its best rank (as trec_eval sees a run).
    seen: set[str] = set()
    out: list[str] = []
    for doc_id in ranked_ids:
        if doc_id not in seen:
            seen.add(doc_id)
            out.append(doc_id)
    return out


def ndcg_at_k(ranked_ids: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """nDCG@k as BEIR reports it (trec_eval ``ndcg_cut``).

    DCG@k = sum over ranks i = 1..k of gain(doc_i) / log2(i + 1), with gain the
    qrels grade (unjudged documents and grades <= 0 give 0). The ideal DCG sorts
    all judged grades in descending order and cuts at k. 0.0 when nothing is
    relevant.
    """
    _check_k(k)
    dcg = 0.0
    for i, doc_id in enumerate(_dedupe(ranked_ids)[:k], start=1):
        gain = max(qrels.get(doc_id, 0), 0)
        if gain:
            dcg += gain / math.log2(i + 1)
    ideal = sorted((g for g in qrels.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked_ids: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """Share of the relevant documents (grade > 0) retrieved in the first k; 0.0 if none."""
    _check_k(k)
    relevant = {doc_id for doc_id, grade in qrels.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(_dedupe(ranked_ids)[:k])) / len(relevant)


def mrr_at_k(ranked_ids: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """1/rank of the first relevant document (grade > 0) within the first k, else 0.0."""
    _check_k(k)
    for rank, doc_id in enumerate(_dedupe(ranked_ids)[:k], start=1):
        if qrels.get(doc_id, 0) > 0:
            return 1.0 / rank
    return 0.0


# ---------------------------------------------------------------- latency


def percentile(values: Iterable[float], p: float) -> float:
    """The p-th percentile (0..100) with linear interpolation, like ``numpy.percentile``."""
    data = sorted(float(v) for v in values)
    if not data:
        raise ValueError("percentile of an empty sequence")
    if not 0 <= p <= 100:
        raise ValueError(f"p must be within [0, 100], got {p}")
    pos = (len(data) - 1) * p / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    frac = pos - lo
    return data[lo] + (data[hi] - data[lo]) * frac
