"""Words as search sees them: lower-case tokens (shorthand and symbols spelled out), stop words
(Lucene's English list, and a wider one for questions) and Snowball stems."""

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


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")  # "Cost & TimeLow to Medium" (a flattened table), not "LoRA"


def words(text: str) -> list[str]:
    text = _SHORTHAND.sub(lambda m: _SHORTHAND_WORDS[m.group()], _CAMEL.sub(" ", text).lower())
    return _WORD.findall(text.translate(_SYMBOLS))


def is_stopword(word: str) -> bool:
    """In the wider stop list (the one used for questions and for dense fitting)."""
    return word in _stopwords()[1]


_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_MAX = 500_000


def stem_all(tokens: Sequence[str]) -> list[str]:
    """Snowball stems (memoised: a corpus repeats its words far more than it adds new ones)."""
    cache = _STEM_CACHE
    missing = [w for w in set(tokens) if w not in cache]
    if missing:
        if len(cache) + len(missing) > _STEM_CACHE_MAX:
            cache.clear()
            missing = list(set(tokens))
        cache.update(zip(missing, _stemmer().stemWords(missing)))
    return [cache[w] for w in tokens]


def index_terms(text: str) -> list[str]:
    """Terms BM25 indexes: Lucene's English stop words removed, Snowball-stemmed."""
    stop, _ = _stopwords()
    return _stemmer().stemWords([w for w in words(text) if w not in stop])


def content_terms(text: str) -> list[str]:
    """Terms that carry a question's meaning (a wider stop list): used to judge relevance."""
    _, stop_plus = _stopwords()
    return _stemmer().stemWords([w for w in words(text) if w not in stop_plus and len(w) > 1])
