"""Which article a question names ("the builders guide", "per Kumar", "Miniml's two-question
test", "in the decision tree"), so the lead looks in that article first.

An article's names are the words of its title, its author, its id and its section headings
(the headings count half: "The Decision Tree" names the article that has it, less surely than
its title). A phrase pointing at an article (``advisor.answer.question_type.source_phrases``)
names the article that owns most of its name words' weight, each word counting by the share of
its weight that article holds (a word in every title, "RAG" or "framework", names none); it
names one only when that article scores at least ``MIN_SCORE`` and ``MARGIN`` times the next.
Nothing here is written for a particular article: a new document's names come from its own
title, author and headings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.knowledge.store import StoredChunk

__all__ = ["NameIndex", "named_doc"]

TITLE_WEIGHT = 1.0  # title, author and id words
HEADING_WEIGHT = 0.5  # section heading words
MIN_SCORE = 0.6
MARGIN = 1.5

NameIndex = Mapping[str, Mapping[str, float]]  # doc id -> name word -> weight


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    from advisor.text.analysis import analysis

    return frozenset(t for t in analysis(text.replace("-", " ")).terms(stop_plus=True) if len(t) > 2)


def name_index(chunks: Iterable[StoredChunk]) -> dict[str, dict[str, float]]:
    """Each document's name words and their weights, from its chunks' metadata."""
    names: dict[str, dict[str, float]] = defaultdict(dict)
    for stored in chunks:
        c = stored.chunk
        words = names[c.doc_id]
        for text, weight in ((c.title, TITLE_WEIGHT), (stored.author, TITLE_WEIGHT),
                             (c.doc_id, TITLE_WEIGHT), *((h, HEADING_WEIGHT) for h in
                                                         re.split(r"\s*›\s*|\s·\s", c.section))):
            for w in _words(text or ""):
                words[w] = max(words.get(w, 0.0), weight)
    return dict(names)


def named_doc(phrases: Sequence[str], names: NameIndex) -> str | None:
    """The document the phrases name, or None when they name none (or several alike)."""
    words = set().union(*(_words(p) for p in phrases)) if phrases else set()
    if not words or len(names) < 2:
        return None
    totals: dict[str, float] = defaultdict(float)
    for doc_words in names.values():
        for w, weight in doc_words.items():
            totals[w] += weight
    scores = {
        doc: sum(doc_words[w] * doc_words[w] / totals[w] for w in words if w in doc_words)
        for doc, doc_words in names.items()
    }
    ranked = sorted(scores.items(), key=lambda x: -x[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= MIN_SCORE and top >= MARGIN * second:
        return best
    return None
