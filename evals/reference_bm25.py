"""The reference retriever the retrieval targets are stated against: plain BM25 over fixed
1,000/200-character chunks of the same documents.

The issue's targets come with a yardstick ("plain BM25 over 1,000/200-character chunks scores
hit@1 0.67, hit@3 0.78, MRR@10 0.74 on the held-out set"). Running that yardstick on a set
in the same run says how hard the set is, so figures from different sets can be compared:
``advisor eval retrieval --dataset FILE --compare-bm25``.

Recipe: the documents are rebuilt from the stored chunks (they cover every character of each
document, so joining them by offset gives the text back); each document is cut into windows of
``size`` characters starting every ``size - overlap`` characters, moved to word boundaries;
``bm25s`` (Lucene BM25, k1 1.5, b 0.75: its defaults) over lower-cased word tokens without
Lucene's English stop words, no stemming, no synonyms, no dense side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from advisor.knowledge.store import StoredChunk
from evals.beir import bm25_tokens

SIZE = 1000
OVERLAP = 200


def document_texts(chunks: Iterable[StoredChunk]) -> dict[str, str]:
    """Each document's text, joined back from its chunks by their character offsets."""
    parts: dict[str, list[tuple[int, int, str]]] = {}
    for s in chunks:
        c = s.chunk
        parts.setdefault(c.doc_id, []).append((c.start, c.end, c.text))
    texts: dict[str, str] = {}
    for doc_id, spans in parts.items():
        out: list[str] = []
        pos = 0
        for start, end, text in sorted(spans):
            if end > pos:
                out.append(text[max(0, pos - start):])
                pos = end
        texts[doc_id] = "".join(out)
    return texts


def fixed_chunks(text: str, size: int = SIZE, overlap: int = OVERLAP) -> list[str]:
    """Windows of about ``size`` characters every ``size - overlap``, not cutting words."""
    if size <= overlap or overlap < 0:
        raise ValueError("need 0 <= overlap < size")
    out: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            m = re.search(r"\s\S*\Z", text[start:end])
            end = start + m.start() if m and m.start() > 0 else end
        out.append(text[start:end])
        if end >= len(text):
            break
        nxt = max(start + 1, end - overlap)
        m = re.compile(r"(?<=\s)\S").search(text, nxt)  # next word start
        start = m.start() if m else end
    return [c for c in out if c.strip()]


class ReferenceBM25:
    """search(question, n) -> texts of the top-n fixed-size chunks, best first."""

    def __init__(self, documents: Mapping[str, str], size: int = SIZE, overlap: int = OVERLAP):
        import bm25s

        self.chunks = [c for text in documents.values() for c in fixed_chunks(text, size, overlap)]
        self._model = bm25s.BM25()
        self._model.index([bm25_tokens(c) or [""] for c in self.chunks], show_progress=False)

    def search(self, question: str, n: int) -> list[str]:
        import numpy as np

        terms = bm25_tokens(question)
        if not terms or not self.chunks:
            return []
        scores = np.asarray(self._model.get_scores(terms))
        top = np.argsort(-scores, kind="stable")[:n]
        return [self.chunks[i] for i in top if scores[i] > 0]
