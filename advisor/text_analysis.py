"""Word analysis shared by BM25 and the relevance check: lower-case words, stop words, stems."""

from __future__ import annotations

import re
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


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def index_terms(text: str) -> list[str]:
    """Terms BM25 indexes: Lucene's English stop words removed, Snowball-stemmed."""
    stop, _ = _stopwords()
    return _stemmer().stemWords([w for w in words(text) if w not in stop])


def content_terms(text: str) -> list[str]:
    """Terms that carry a question's meaning (a wider stop list): used to judge relevance."""
    _, stop_plus = _stopwords()
    return _stemmer().stemWords([w for w in words(text) if w not in stop_plus and len(w) > 1])
