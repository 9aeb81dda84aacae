"""The cue mechanism: a pattern that, found in a sentence, sets a Situation field.

A cue can require another pattern somewhere in the same sentence (`needs`) or in
the same clause (`needs_in_clause`), be vetoed by one (`unless`), and say what a
negated match means (`if_negated`: a value, or SKIP to ignore negated matches). A `fallback`
cue is an inference ("we tried prompting" and ask for help: it has not been enough) that fills
its field only where nothing else set it (``patterns.pattern_facts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from advisor.extraction.text import clause_bounds, negated


class _Skip:
    def __repr__(self) -> str:
        return "SKIP"


SKIP: object = _Skip()


@dataclass(frozen=True)
class Cue:
    field: str
    value: object
    pattern: re.Pattern[str]
    if_negated: object = SKIP
    needs: re.Pattern[str] | None = None
    needs_in_clause: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    check_negation: bool = True
    fallback: bool = False


def cue(
    field: str,
    value: object,
    *patterns: str,
    if_negated: object = SKIP,
    needs: str | None = None,
    needs_in_clause: str | None = None,
    unless: str | None = None,
    check_negation: bool = True,
    fallback: bool = False,
) -> Cue:
    """Build a cue; several patterns are alternatives, each wrapped in word boundaries."""
    body = "|".join(f"(?:{p})" for p in patterns)
    return Cue(
        field=field,
        value=value,
        pattern=re.compile(rf"\b(?:{body})(?!\w)"),
        if_negated=if_negated,
        needs=re.compile(needs) if needs else None,
        needs_in_clause=re.compile(needs_in_clause) if needs_in_clause else None,
        unless=re.compile(unless) if unless else None,
        check_negation=check_negation,
        fallback=fallback,
    )


@dataclass(frozen=True)
class Hit:
    field: str
    value: object
    sentence_index: int
    position: int
    fallback: bool = False


def find_hits(cues: Iterable[Cue], sentences: list[str]) -> Iterator[Hit]:
    for index, sentence in enumerate(sentences):
        for c in cues:
            if c.needs is not None and not c.needs.search(sentence):
                continue
            if c.unless is not None and c.unless.search(sentence):
                continue
            for match in c.pattern.finditer(sentence):
                start, end = match.span()
                if c.needs_in_clause is not None:
                    left, right = clause_bounds(sentence, start, end)
                    if not c.needs_in_clause.search(sentence[left:right]):
                        continue
                value = c.value
                if c.check_negation and negated(sentence, start, end):
                    value = c.if_negated
                if value is SKIP:
                    continue
                yield Hit(c.field, value, index, start, c.fallback)
