"""Example counts: how many labelled examples a question says a team has, against the
example-count thresholds passages state ("less than 100 examples", "1,000+ high-quality
input/output pairs", "hundreds to thousands of ... pairs").

Words cannot make "we have about sixty examples" meet "You have less than 100 examples": no
term of the one is in the other, and every passage about fine-tuning mentions examples. The
number can. The question's count is read by the same extractor the decision uses
(``advisor.extraction.quantities.labeled_examples``); a passage's thresholds by the patterns
below. The retriever gives a window whose threshold the count meets a bonus.
"""

from __future__ import annotations

import math
import re

from advisor.extraction.numbers import number_pattern, parse_number
from advisor.extraction.quantities import EXAMPLE_NOUN as _NOUN
from advisor.extraction.quantities import labeled_examples

Range = tuple[float, float]  # [low, high)

_ANY_NOUN = re.compile(r"exampl|sampl|pair|demonstrat|shots|training")  # a cheap test first
_GAP = r"(?:[\w/-]+\s+){0,3}?"  # "1,000+ high-quality input/output pairs"
_BOUND = re.compile(
    rf"\b(?P<op>less than|fewer than|under|below|up to|at least|more than|over)\s+"
    rf"{number_pattern('n')}\s*\+?\s*{_GAP}{_NOUN}\b"
)
_PLUS = re.compile(rf"{number_pattern('n')}\+\s*{_GAP}{_NOUN}\b")
_ORDERS: dict[str, Range] = {
    "dozens": (24, 100), "hundreds": (100, 1_000), "thousands": (1_000, 10_000),
    "tens of thousands": (10_000, 100_000), "millions": (1e6, 1e9),
}  # fmt: skip
_ORDER = "|".join(sorted(_ORDERS, key=len, reverse=True))
_SPAN = re.compile(rf"\b(?P<a>{_ORDER})(?:\s+(?:to|or)\s+(?P<b>{_ORDER}))?\s+of\s+{_GAP}{_NOUN}\b")


def thresholds(text: str) -> list[Range]:
    """The example-count ranges a passage states, as [low, high) intervals."""
    text = text.lower()
    out: list[Range] = []
    if not _ANY_NOUN.search(text):
        return out
    for m in _BOUND.finditer(text):
        value = parse_number(m.group("n"))
        if value is None:
            continue
        op = m.group("op")
        if op in ("less than", "fewer than", "under", "below"):
            out.append((0.0, value))
        elif op == "up to":
            out.append((0.0, value + 1))
        else:
            out.append((value + (op != "at least"), math.inf))
    for m in _PLUS.finditer(text) if "+" in text else ():
        if not _BOUND.search(text[max(0, m.start() - 12):m.end()]):
            value = parse_number(m.group("n"))
            if value is not None:
                out.append((value, math.inf))
    for m in _SPAN.finditer(text) if " of " in text else ():
        low = _ORDERS[m.group("a")][0]
        high = _ORDERS[m.group("b") or m.group("a")][1]
        out.append((low, high))
    return out


def question_count(question: str) -> float | None:
    """How many labelled examples the question says the team has, if it says."""
    from advisor.extraction.text import normalize, sentences

    count = labeled_examples(sentences(normalize(question)))
    return float(count) if count else None


def meets(count: float, ranges: list[Range]) -> bool:
    return any(low <= count < high for low, high in ranges)
