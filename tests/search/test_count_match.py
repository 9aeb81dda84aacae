"""Example counts: thresholds read from passages, counts read from questions."""

from __future__ import annotations

import math

import pytest

from advisor.search.count_match import meets, question_count, thresholds


@pytest.mark.parametrize(("text", "expected"), [
    ("You have less than 100 examples. Stick to prompting + few-shot.", [(0, 100)]),
    ("fewer than 50 labeled samples", [(0, 50)]),
    ("- You have 1,000+ high-quality input/output pairs", [(1000, math.inf)]),
    ("you have 1,000+ high-quality examples to train on.", [(1000, math.inf)]),
    ("at least 500 examples", [(500, math.inf)]),
    ("more than 200 training pairs", [(201, math.inf)]),
    ("typically hundreds to thousands of high-quality input/output pairs", [(100, 10_000)]),
    ("up to 20 demonstrations", [(0, 21)]),
])
def test_thresholds_a_passage_states(text: str, expected: list[tuple[float, float]]) -> None:
    assert thresholds(text) == expected


@pytest.mark.parametrize("text", [
    "Do you have labeled training pairs?",  # no number
    "The knowledge corpus is large (100MB+)",  # not an example count
    "less than 100 ms of latency",
    "Spend 70% of your effort on chunking",
])
def test_no_threshold_without_a_count_of_examples(text: str) -> None:
    assert thresholds(text) == []


@pytest.mark.parametrize(("question", "count"), [
    ("We only have about sixty labeled examples. Which approach makes sense?", 60),
    ("only have about 50 labeled examples, what approach", 50),
    ("tone/dialect the sys prompt can't pin down; ~2k pairs on hand", 2000),
    ("How many labeled examples do I need?", None),
    ("Should we use RAG for our help center?", None),
])
def test_question_count(question: str, count: float | None) -> None:
    assert question_count(question) == count


def test_meets_is_half_open() -> None:
    assert meets(99, [(0, 100)]) and not meets(100, [(0, 100)])
    assert meets(1000, [(1000, math.inf)]) and not meets(999, [(1000, math.inf)])
    assert not meets(60, [])
