"""Does the answer answer? Two measures of what a reader sees first and what the answer quotes.

``lead_answer_rate`` (DESIGN.md §3): a knowledge question (one about what the articles say)
carries the verbatim sentence(s) of the articles that answer it; its reply *leads with the
answer* when the first ``LEAD_CHARS`` (500) characters of the answer contain one of them, both
normalised as the retrieval contract says (``evals.metrics.normalize``: NFKC, lower case,
straight quotes, dashes to ``-``, white space folded). The whole sentence must lie inside the
first 500 characters.

``quote_relevance``: every quotation of an article in an answer (text between quotation marks
followed by ``[n]`` markers) is judged, and the metric is the share that *fit*. A quote fits
when it

1. **stands alone**: it does not open by pointing at text it leaves out (a first word such as
   "That", "These", "It", "Such"; an opening clause that refers to "the first", "the second",
   "the former", "the latter", "those cases", "the above"; "If so", "If yes", "If not"). "If the
   answer to the second is yes, consider fine-tuning." fails: the reader never saw the two
   questions;
2. and **bears on the question or on the recommended approach**: it shares at least
   ``MIN_SHARED`` (2) topic units with the question; or one topic unit while naming the
   recommended approach or an approach the question names; or it is about the recommended
   approach (the first approach it names is that one; for a hybrid, RAG and fine-tuning count
   too). When nothing is known about the team's case there is no recommendation to bear on,
   only the question. Topic units are the question's content stems (wide stop list, question-framing words
   such as "approach" or "should" removed) and the lexicon concepts of ``advisor.text.lexicon``
   ("updated every two weeks" and "changes often" share ``#freshness``), a stem inside a
   concept phrase counting once, through its concept; the names of the approaches themselves
   ("RAG", "fine-tune", "prompt") are not topic units, since every passage names one. The
   question is the user's last message, with the earlier ones added when it has fewer than two
   topic units of its own (a follow-up such as "why not fine-tuning?").

Like ``citation_support`` this is lexical: it catches a quote about something else, or one that
cannot be read alone, not one that says the opposite of what the user needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from evals.metrics import normalize

__all__ = [
    "LEAD_CHARS",
    "MIN_SHARED",
    "answer_found",
    "quote_fits",
    "quotes",
    "stands_alone",
    "topic_units",
]

LEAD_CHARS = 500
MIN_SHARED = 2

# A quotation: curly (or straight) double quotes around at least a few words, then markers;
# a curly quotation may hold straight quotes.
_QUOTE = re.compile(
    r"(?:“([^”\n]{12,}?)”|\"([^\"\n]{12,}?)\")\s*((?:\[\d{1,3}\])+)"
)
_MARKER = re.compile(r"\[(\d{1,3})\]")
_OPENING_POINTER = re.compile(
    r"^(?:that|that's|these|those|this|it|it's|its|they|their|them|such|here)\b"
)
_CLAUSE_POINTER = re.compile(
    r"\b(?:the (?:first|second|third|former|latter|above|following|previous|same)|those cases|"
    r"that case|these cases|this case|if so|if yes|if not|if no)\b"
)
APPROACH_CONCEPTS = {
    "#rag": "rag", "#vector_search": "rag", "#fine_tuning": "fine_tuning", "#peft": "fine_tuning",
    "#prompting": "prompting", "#hybrid": "hybrid", "#tool_calling": "tool_calling",
}  # fmt: skip
# Words that only name an approach: every passage has them, so they say nothing of the topic.
_APPROACH_WORDS = (
    "rag retrieval retrieve retrieved augmented generation fine tune tuning tuned finetune "
    "finetuning prompt prompting prompts hybrid agent agents tool tools calling approach"
)


def answer_found(answer: str, sentences: Iterable[str], within: int | None = LEAD_CHARS) -> bool:
    """True when one of ``sentences`` (normalised) lies in the answer's first ``within``
    characters (or anywhere with ``within=None``)."""
    head = normalize(answer if within is None else answer[:within])
    return any(s and s in head for s in (normalize(x) for x in sentences))


def quotes(answer: str) -> list[tuple[str, list[int]]]:
    """Every quotation of a passage in the answer: (quoted text, its marker numbers)."""
    return [
        (" ".join((m.group(1) or m.group(2)).split()), [int(n) for n in _MARKER.findall(m.group(3))])
        for m in _QUOTE.finditer(answer)
    ]


def stands_alone(quote: str) -> bool:
    """False when the quote opens by pointing at text it does not include."""
    text = normalize(quote).lstrip("\"'([-•* ")
    if _OPENING_POINTER.match(text):
        return False
    opening = re.split(r"[,:;]", text, maxsplit=1)[0]
    return not (len(opening.split()) <= 12 and _CLAUSE_POINTER.search(opening))


@lru_cache(maxsize=1)
def _ignored() -> frozenset[str]:
    from advisor.text.lexicon import QUERY_STOPWORDS
    from advisor.text.words import stem_all

    words = set(QUERY_STOPWORDS) | set(_APPROACH_WORDS.split())
    return frozenset(words) | frozenset(stem_all(sorted(words)))


@lru_cache(maxsize=4096)
def topic_units(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(topic units, approaches named in order) of a text, as the module docstring defines
    them."""
    from advisor.text.analysis import analysis
    from advisor.text.lexicon import concept_spans
    from advisor.text.words import is_stopword

    a = analysis(text)
    ignored = _ignored()
    units: set[str] = set()
    named: list[str] = []
    inside: set[int] = set()
    for start, end, token in concept_spans(a.stems):
        if token in APPROACH_CONCEPTS:
            if APPROACH_CONCEPTS[token] not in named:
                named.append(APPROACH_CONCEPTS[token])
            continue
        units.add(token)
        inside.update(range(start, end))
    for i, (word, stem) in enumerate(zip(a.words, a.stems)):
        if i in inside or len(word) < 2 or is_stopword(word):
            continue
        if word in ignored or stem in ignored:
            continue
        units.add(stem)
    return frozenset(units), tuple(named)


def _approaches_that_count(recommended: str | None) -> set[str]:
    if recommended is None:
        return set()
    return {"hybrid", "rag", "fine_tuning"} if recommended == "hybrid" else {recommended}


def question_units(messages: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The units of the last user message, with the earlier ones when it has fewer than two."""
    units, named = topic_units(messages[-1])
    names = set(named)
    if len(units) < MIN_SHARED and len(messages) > 1:
        for earlier in messages[:-1]:
            more, more_named = topic_units(earlier)
            units, names = units | more, names | set(more_named)
    return units, frozenset(names)


def quote_fits(quote: str, user_messages: Sequence[str], recommended: str | None) -> bool:
    """Whether a quote stands alone and bears on the question or the recommended approach
    (``recommended``: None when nothing is known about the team's case)."""
    if not stands_alone(quote):
        return False
    q_units, q_named = question_units(user_messages)
    units, named = topic_units(quote)
    shared = len(units & q_units)
    counted = _approaches_that_count(recommended)
    if shared >= MIN_SHARED or (named and named[0] in counted):
        return True
    return shared >= 1 and bool(set(named) & (counted | set(q_named)))
