"""Word analysis shared by BM25 and the relevance check: lower-case words, stop words, stems,
and the domain lexicon's concept tokens (see ``advisor.text.lexicon``)."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.text.lexicon import concept_tokens
from advisor.text.words import _stopwords, stem_all, words


@dataclass(frozen=True)
class Analysis:
    """A text's words, their stems, and the lexicon concepts it mentions."""

    words: list[str]
    stems: list[str]
    concepts: list[str]

    def terms(self, *, stop_plus: bool = False) -> list[str]:
        """Stems without stop words: Lucene's list, or the wider one with ``stop_plus``."""
        stop = _stopwords()[1 if stop_plus else 0]
        return [s for w, s in zip(self.words, self.stems)
                if w not in stop and (len(w) > 1 or not stop_plus)]


def analysis(text: str) -> Analysis:
    ws = words(text)
    stems = stem_all(ws)
    return Analysis(ws, stems, concept_tokens(stems))


def analyze(text: str, *, stop_plus: bool = False) -> tuple[list[str], list[str]]:
    """(word terms, concept tokens) of a text: stemmed words without stop words (Lucene's
    list, or the wider one with ``stop_plus``), and the lexicon concepts it mentions."""
    a = analysis(text)
    return a.terms(stop_plus=stop_plus), a.concepts
