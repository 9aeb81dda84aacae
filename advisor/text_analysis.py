"""Word analysis shared by BM25 and the relevance check: lower-case words, stop words, stems,
and the domain lexicon's concept tokens (see ``advisor.lexicon``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202 - PyStemmer has no type stubs
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> tuple[frozenset[str], frozenset[str]]:
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_EN_PLUS

    return frozenset(STOPWORDS_EN), frozenset(STOPWORDS_EN_PLUS) | frozenset(STOPWORDS_EN)


_SYMBOLS = str.maketrans({"’": "'", "$": " dollar ", "€": " euro ", "£": " pound "})
_SHORTHAND = re.compile(r"\bw/o\b|\bw/(?=\s)|\btl;dr\b|\bb/c\b")
_SHORTHAND_WORDS = {"w/o": " without ", "w/": " with ", "tl;dr": " summary ", "b/c": " because "}


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "Cost & TimeLow to Medium": a flattened table


def words(text: str) -> list[str]:
    text = _SHORTHAND.sub(lambda m: _SHORTHAND_WORDS[m.group()], _CAMEL.sub(" ", text).lower())
    return _WORD.findall(text.translate(_SYMBOLS))


def stem_all(tokens: Sequence[str]) -> list[str]:
    return _stemmer().stemWords(list(tokens))


def index_terms(text: str) -> list[str]:
    """Terms BM25 indexes: Lucene's English stop words removed, Snowball-stemmed."""
    stop, _ = _stopwords()
    return _stemmer().stemWords([w for w in words(text) if w not in stop])


def content_terms(text: str) -> list[str]:
    """Terms that carry a question's meaning (a wider stop list): used to judge relevance."""
    _, stop_plus = _stopwords()
    return _stemmer().stemWords([w for w in words(text) if w not in stop_plus and len(w) > 1])


def analyze(text: str, *, stop_plus: bool = False) -> tuple[list[str], list[str]]:
    """(word terms, concept tokens) of a text: stemmed words without stop words (Lucene's
    list, or the wider one with ``stop_plus``), and the lexicon concepts it mentions."""
    from advisor.lexicon import concept_tokens

    ws = words(text)
    stems = stem_all(ws)
    stop = _stopwords()[1 if stop_plus else 0]
    terms = [s for w, s in zip(ws, stems) if w not in stop and (len(w) > 1 or not stop_plus)]
    return terms, concept_tokens(stems)
