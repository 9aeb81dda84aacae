"""A domain lexicon for search over writing about building with LLMs.

Each concept is a group of words and phrases that people use for the same idea ("customize
the model", "LoRA" and "fine-tune"; "makes things up" and "hallucinates"; "p95" and "slow").
Like a search engine's synonym filter, the analyzer emits the concept's token wherever any
member occurs, at index time and at query time alike, so a question and a passage that name
the same idea in different words share a term. Members are matched on Snowball stems over the
full word sequence (stop words included, so "up to date" and "no internet" work), longest
phrase first, and a word may belong to several concepts.

The groups live in ``lexicon.toml`` beside this module (data, validated on load). They were written from domain knowledge of LLM engineering (the vocabulary of the field
and of the kind of articles the advisor is built on), not from evaluation questions. Keep them
that way: a group should hold only words a search engineer would accept as the same idea in
any article of this field. Very broad words (model, data, use) belong in no group.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from advisor.text.words import stem_all, words

CONCEPT_PREFIX = "#"
QUANTITY = CONCEPT_PREFIX + "quantity"  # any number in the text ("100", "1,000+", "2k", "70%")
LEXICON_PATH = Path(__file__).with_name("lexicon.toml")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the entry."""


def _words_list(table: dict, key: str, where: str) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not value:
        raise LexiconError(f"{where}: {key} must be a non-empty list of strings")
    for item in value:
        if not isinstance(item, str) or not item.strip() or item != item.lower():
            raise LexiconError(f"{where}: {key} holds {item!r}: members are non-empty lower-case strings")
    if len(set(value)) != len(value):
        dupes = sorted({v for v in value if value.count(v) > 1})
        raise LexiconError(f"{where}: {key} repeats {', '.join(dupes)}")
    return value


def load_lexicon(path: Path = LEXICON_PATH) -> tuple[dict[str, tuple[str, ...]], frozenset[str], frozenset[str]]:
    """(concept groups, number-word stems, query stop words) from the TOML file, validated."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    unknown = set(data) - {"concepts", "quantity", "query"}
    if unknown:
        raise LexiconError(f"{path}: unknown table(s) {', '.join(sorted(unknown))}")
    concepts = data.get("concepts")
    if not isinstance(concepts, dict) or not concepts:
        raise LexiconError(f"{path}: [concepts] is missing or empty")
    groups: dict[str, tuple[str, ...]] = {}
    for name in concepts:
        if not _NAME.fullmatch(name):
            raise LexiconError(f"{path}: concept name {name!r} is not snake_case")
        groups[name] = tuple(_words_list(concepts, name, f"{path} [concepts]"))
    numbers = frozenset(_words_list(data.get("quantity", {}), "number_words", f"{path} [quantity]"))
    stopwords = frozenset(_words_list(data.get("query", {}), "stopwords", f"{path} [query]"))
    return groups, numbers, stopwords


# Spelled-out numbers from ten up count as quantities (Snowball stems: "sixty" -> "sixti");
# question-framing words ("which approach makes sense") are ignored by the relevance check.
CONCEPTS, _NUMBER_WORDS, QUERY_STOPWORDS = load_lexicon()


def _stem_words(text: str) -> tuple[str, ...]:
    return tuple(stem_all(words(text)))


@lru_cache(maxsize=1)
def _phrase_table() -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], int]:
    """First stem -> [(stemmed phrase, concept token)], longest phrases first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    longest = 1
    for concept, members in CONCEPTS.items():
        token = CONCEPT_PREFIX + concept
        for member in members:
            stems = _stem_words(member)
            if not stems:
                continue
            longest = max(longest, len(stems))
            entry = (stems, token)
            bucket = table.setdefault(stems[0], [])
            if entry not in bucket:
                bucket.append(entry)
    for bucket in table.values():
        bucket.sort(key=lambda e: -len(e[0]))
    return table, longest


def concept_spans(stems: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, concept token) of every lexicon phrase found in a sequence of stems."""
    table, _ = _phrase_table()
    get = table.get
    numbers = _NUMBER_WORDS
    out: list[tuple[int, int, str]] = []
    covered: dict[str, int] = {}  # concept token -> end of its last match
    # Stems are [a-z0-9]+, so s[:1] <= "9" means "starts with a digit": a cheap first filter.
    for i in [i for i, s in enumerate(stems) if s in table or s[:1] <= "9" or s in numbers]:
        stem = stems[i]
        if stem[:1] <= "9" or stem in numbers:  # starts with a digit ("100", "2k", "7b")
            out.append((i, i + 1, QUANTITY))
        bucket = get(stem)
        if bucket is None:
            continue
        for phrase, token in bucket:  # longest first
            if covered.get(token, 0) > i:
                continue  # inside a longer match of the same concept ("system prompt")
            end = i + len(phrase)
            if end == i + 1 or tuple(stems[i:end]) == phrase:
                out.append((i, end, token))
                covered[token] = end
    return out


def concept_tokens(stems: Sequence[str]) -> list[str]:
    """Concept tokens for every lexicon phrase found in a sequence of stems (all words)."""
    return [token for _, _, token in concept_spans(stems)]


def concepts_of(text: str) -> set[str]:
    """The concepts a text mentions (names without the prefix)."""
    return {t[len(CONCEPT_PREFIX):] for t in concept_tokens(_stem_words(text))}
