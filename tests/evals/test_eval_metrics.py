"""Metric functions checked against values computed by hand on tiny fixtures."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evals.metrics import (
    evidence_recall_at_k,
    first_relevant_rank,
    hit_at_k,
    is_relevant,
    mrr_at_k,
    ndcg_at_k,
    normalize,
    percentile,
    quotes_found_at_k,
    recall_at_k,
    reciprocal_rank,
)

# ------------------------------------------------------------------ normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Don\u2019t", "don't"),  # right single quote / apostrophe
        ("\u2018quoted\u2019", "'quoted'"),
        ("\u201cSmart Librarian\u201d", '"smart librarian"'),
        ("baked in \u2014 it doesn\u2019t", "baked in - it doesn't"),  # em dash
        ("pages 3\u20135", "pages 3-5"),  # en dash
        ("  many \t spaces\n\nand\r\nlines  ", "many spaces and lines"),
        ("\ufb01ne-tuning", "fine-tuning"),  # NFKC: the fi ligature
        ("\uff32\uff21\uff27", "rag"),  # NFKC: full-width letters, then lower case
        ("non\u00a0breaking", "non breaking"),  # NFKC: no-break space -> space
        ("x\u00b2", "x2"),  # NFKC: superscript two
        ("RAG \u2192 facts", "rag \u2192 facts"),  # arrows are left alone
        ("", ""),
        (" \n\t ", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent() -> None:
    text = "  \u201cIt\u2019s\u201d \u2014 A  \ufb01x\u2013up \u00a0 "
    assert normalize(normalize(text)) == normalize(text) == "\"it's\" - a fix-up"


# ------------------------------------------------------------------ is_relevant


def test_is_relevant_matches_after_normalization() -> None:
    passage = "Fine-tuned knowledge is opaque \u2014 you can probe it but\nyou can\u2019t  trace."
    assert is_relevant(passage, ["opaque - you can probe it but you can't trace"])
    assert is_relevant(passage.upper(), ["FINE-TUNED KNOWLEDGE"])


def test_is_relevant_any_of_several_quotes() -> None:
    assert is_relevant("alpha beta gamma", ["not here", "beta gamma"])


def test_is_relevant_negative_cases() -> None:
    assert not is_relevant("alpha beta gamma", ["beta delta"])
    assert not is_relevant("alpha beta gamma", [])
    # A blank quote would be "contained" in everything; it must not count.
    assert not is_relevant("alpha beta gamma", ["", "  \n "])
    # Containment is on the passage, not the other way round.
    assert not is_relevant("beta", ["alpha beta gamma"])


# ------------------------------------------------------------------ hit / MRR / evidence recall

PASSAGES = ["alpha beta", "gamma delta", "Epsilon \u2014 zeta", "eta theta"]


def test_first_relevant_rank_is_one_based() -> None:
    assert first_relevant_rank(PASSAGES, ["ALPHA"]) == 1
    assert first_relevant_rank(PASSAGES, ["epsilon - zeta"]) == 3
    assert first_relevant_rank(PASSAGES, ["omega"]) is None
    assert first_relevant_rank([], ["alpha"]) is None


def test_hit_at_k() -> None:
    quotes = ["epsilon - zeta"]  # relevant passage at rank 3
    assert hit_at_k(PASSAGES, quotes, 1) == 0.0
    assert hit_at_k(PASSAGES, quotes, 2) == 0.0
    assert hit_at_k(PASSAGES, quotes, 3) == 1.0
    assert hit_at_k(PASSAGES, quotes, 10) == 1.0
    with pytest.raises(ValueError):
        hit_at_k(PASSAGES, quotes, 0)


def test_reciprocal_rank() -> None:
    assert reciprocal_rank(PASSAGES, ["epsilon - zeta"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(PASSAGES, ["theta", "delta"]) == pytest.approx(1 / 2)  # best of two
    assert reciprocal_rank(PASSAGES, ["epsilon - zeta"], k=2) == 0.0  # beyond the cut-off
    assert reciprocal_rank(PASSAGES, ["omega"]) == 0.0


def test_evidence_recall_counts_each_quote_once() -> None:
    quotes = ["alpha", "zeta", "omega", "beta"]  # found at ranks 1, 3, never, 1
    assert quotes_found_at_k(PASSAGES, quotes, 1) == 2
    assert quotes_found_at_k(PASSAGES, quotes, 3) == 3
    assert evidence_recall_at_k(PASSAGES, quotes, 1) == pytest.approx(2 / 4)
    assert evidence_recall_at_k(PASSAGES, quotes, 3) == pytest.approx(3 / 4)
    assert evidence_recall_at_k(PASSAGES, [], 3) == 0.0


# ------------------------------------------------------------------ graded metrics (BEIR)

QRELS = {"d2": 2, "d3": 1, "d5": 3, "d9": 0}


def test_ndcg_graded_hand_computed() -> None:
    # DCG@3 = 0/log2(2) + 2/log2(3) + 1/log2(4) = 1.26186 + 0.5 = 1.76186
    # IDCG@3 (grades 3, 2, 1) = 3/1 + 2/log2(3) + 1/2 = 4.76186
    value = ndcg_at_k(["d1", "d2", "d3", "d4"], QRELS, 3)
    assert value == pytest.approx(0.369994, abs=1e-6)
    assert value == pytest.approx((2 / math.log2(3) + 0.5) / (3 + 2 / math.log2(3) + 0.5))


def test_ndcg_uses_grades_not_just_binary_relevance() -> None:
    # Swapping a grade-3 and a grade-1 document changes nDCG; with binary gains it would not.
    best_first = ndcg_at_k(["d5", "d3"], QRELS, 2)
    worst_first = ndcg_at_k(["d3", "d5"], QRELS, 2)
    # best_first: (3 + 1/log2 3) / (3 + 2/log2 3) = 3.630930 / 4.261860 = 0.851959
    assert best_first == pytest.approx(0.851959, abs=1e-6)
    # worst_first: (1 + 3/log2 3) / 4.26186 = 2.89279 / 4.26186 = 0.678763
    assert worst_first == pytest.approx(0.678763, abs=1e-6)


def test_ndcg_edge_cases() -> None:
    assert ndcg_at_k(["d5", "d2", "d3"], QRELS, 3) == pytest.approx(1.0)  # ideal order
    assert ndcg_at_k(["d5"], QRELS, 1) == pytest.approx(1.0)
    assert ndcg_at_k(["d1", "d9"], QRELS, 10) == 0.0  # grade 0 earns nothing
    assert ndcg_at_k([], QRELS, 10) == 0.0
    assert ndcg_at_k(["d1"], {}, 10) == 0.0
    assert ndcg_at_k(["d1"], {"d1": 0}, 10) == 0.0
    # A duplicate id counts once: ["d2", "d2", "d3"] is scored as ["d2", "d3"].
    # (2 + 1/log2 3) / (3 + 2/log2 3) = 2.630930 / 4.261860 = 0.617320
    assert ndcg_at_k(["d2", "d2", "d3"], QRELS, 2) == pytest.approx(0.617320, abs=1e-6)


def test_recall_at_k() -> None:
    ranked = ["d1", "d2", "d3", "d4"]  # relevant (grade > 0): d2, d3, d5
    assert recall_at_k(ranked, QRELS, 1) == 0.0
    assert recall_at_k(ranked, QRELS, 2) == pytest.approx(1 / 3)
    assert recall_at_k(ranked, QRELS, 3) == pytest.approx(2 / 3)
    assert recall_at_k(ranked, QRELS, 100) == pytest.approx(2 / 3)
    assert recall_at_k(["d9"], QRELS, 10) == 0.0
    assert recall_at_k(["d2", "d2"], QRELS, 10) == pytest.approx(1 / 3)
    assert recall_at_k(ranked, {"d1": 0}, 10) == 0.0


def test_mrr_at_k() -> None:
    assert mrr_at_k(["d9", "d1", "d3"], QRELS, 10) == pytest.approx(1 / 3)  # grade 0 skipped
    assert mrr_at_k(["d9", "d1", "d3"], QRELS, 2) == 0.0
    assert mrr_at_k(["d5", "d2"], QRELS, 10) == 1.0
    assert mrr_at_k([], QRELS, 10) == 0.0
    with pytest.raises(ValueError):
        mrr_at_k(["d5"], QRELS, 0)


# ------------------------------------------------------------------ percentile


def test_percentile_hand_computed() -> None:
    values = [40, 15, 50, 20, 35]  # sorted: 15 20 35 40 50
    assert percentile(values, 50) == pytest.approx(35)
    assert percentile(values, 40) == pytest.approx(29)  # pos 1.6: 20 + 0.6 * 15
    assert percentile(values, 95) == pytest.approx(48)  # pos 3.8: 40 + 0.8 * 10
    assert percentile(values, 0) == 15
    assert percentile(values, 100) == 50
    assert percentile([7.5], 95) == 7.5


@pytest.mark.parametrize("p", [0, 5, 25, 50, 90, 95, 99, 100])
def test_percentile_agrees_with_numpy(p: float) -> None:
    values = [3.2, 0.4, 9.9, 1.1, 5.0, 5.0, 12.5, 0.01]
    assert percentile(values, p) == pytest.approx(float(np.percentile(values, p)))


def test_percentile_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)
