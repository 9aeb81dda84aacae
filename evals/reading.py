"""The reader scored against the facts a careful reader took from the same text.

For every field a row's ``facts`` set, the extracted value *agrees* when it is equal
(numbers: within ``NUMBER_TOLERANCE`` of each other, relatively, since "about 40k" and
"40,000" are one fact); a field the extractor set that the facts leave unknown is
*spurious* (reported, not counted against agreement: a careful reader's facts are a
subset and omit what they could not place). ``reading_accuracy`` is agreement over
all set fields of all rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from advisor.schemas.decision import Situation

NUMBER_TOLERANCE = 0.1


def agrees(expected: object, got: object) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected == got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        if expected == got:
            return True
        return abs(expected - got) <= NUMBER_TOLERANCE * max(abs(expected), abs(got))
    return expected == got


def compare(facts: Situation, read: Situation) -> dict[str, Any]:
    """One row: which set fields agree, which differ (with both values), which are spurious."""
    given, got = facts.known(), read.known()
    wrong = {k: {"expected": v, "read": got.get(k)} for k, v in given.items()
             if not agrees(v, got.get(k))}
    return {
        "agree": [k for k in given if k not in wrong],
        "wrong": wrong,
        "spurious": {k: v for k, v in got.items() if k not in given},
    }


def score(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Totals over ``compare`` results: per field n / agree / accuracy / spurious."""
    fields: dict[str, dict[str, int]] = {
        name: {"n": 0, "agree": 0, "spurious": 0} for name in Situation.model_fields
    }
    for row in rows:
        for name in row["agree"]:
            fields[name]["n"] += 1
            fields[name]["agree"] += 1
        for name in row["wrong"]:
            fields[name]["n"] += 1
        for name in row["spurious"]:
            fields[name]["spurious"] += 1
    n = sum(f["n"] for f in fields.values())
    agree = sum(f["agree"] for f in fields.values())
    per_field = {
        name: {**f, "accuracy": round(f["agree"] / f["n"], 4) if f["n"] else None}
        for name, f in fields.items()
        if f["n"] or f["spurious"]
    }
    return {
        "reading_accuracy": round(agree / n, 4) if n else None,
        "reading_fields": n,
        "reading_spurious": sum(f["spurious"] for f in fields.values()),
        "reading": per_field,
    }
