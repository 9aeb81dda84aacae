"""Hybrid retrieval: BM25 (bm25s) and dense search in Chroma, fused by reciprocal rank.

The BM25 index is derived from the store and rebuilt whenever the store's revision changes,
so several processes sharing one Chroma server see each other's writes on both sides.
Each result says whether anything relevant was found (IDF-weighted share of the question's
content terms present in the best passages, or a strong dense match) so callers can abstain.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from advisor.embeddings import Embedder
from advisor.schemas.retrieval import Passage, SearchResult
from advisor.store import ChunkStore, StoredChunk
from advisor.text_analysis import content_terms, index_terms

RRF_K = 60
CANDIDATES = 50
DENSE_RELEVANT = 0.6  # cosine similarity that counts as relevant on its own


class EmptyQuery(ValueError):
    """The query has no words to search for."""


@dataclass
class _LexicalIndex:
    revision: str
    chunks: list[StoredChunk]
    bm25: object | None  # bm25s.BM25
    terms: list[frozenset[str]]
    idf: dict[str, float]
    by_id: dict[str, int]

    @classmethod
    def build(cls, revision: str, chunks: list[StoredChunk]) -> _LexicalIndex:
        import bm25s

        tokens = [index_terms(s.chunk.index_text()) for s in chunks]
        bm25 = None
        if chunks:
            bm25 = bm25s.BM25(k1=0.9, b=0.4)
            bm25.index([t or [""] for t in tokens], show_progress=False)
        terms = [frozenset(content_terms(s.chunk.index_text())) for s in chunks]
        df: dict[str, int] = {}
        for ts in terms:
            for t in ts:
                df[t] = df.get(t, 0) + 1
        n = max(len(chunks), 1)
        idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        return cls(revision, chunks, bm25, terms, idf, {s.chunk.id: i for i, s in enumerate(chunks)})

    def unseen_idf(self) -> float:
        return math.log((len(self.chunks) + 1) / 0.5)

    def scores(self, query: str) -> np.ndarray:
        q = index_terms(query)
        if self.bm25 is None or not q:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(q), dtype=np.float32)  # type: ignore[attr-defined]

    def coverage(self, query_terms: Sequence[str], i: int) -> float:
        if not query_terms:
            return 0.0
        weight = {t: self.idf.get(t, self.unseen_idf()) for t in set(query_terms)}
        total = sum(weight.values())
        found = sum(w for t, w in weight.items() if t in self.terms[i])
        return found / total if total else 0.0


class HybridRetriever:
    """BM25 + dense retrieval over the chunk store, fused with reciprocal rank fusion."""

    def __init__(
        self,
        store: ChunkStore,
        embedder: Callable[[], Embedder],
        *,
        min_relevance: float = 0.35,
        bm25_weight: float = 1.0,
        dense_weight: float = 1.0,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._index: _LexicalIndex | None = None
        self._lock = threading.Lock()
        self.min_relevance = min_relevance
        self.bm25_weight = bm25_weight
        self.dense_weight = dense_weight

    def lexical_index(self) -> _LexicalIndex:
        revision = self._store.revision()
        index = self._index
        if index is None or index.revision != revision:
            with self._lock:
                if self._index is None or self._index.revision != revision:
                    self._index = _LexicalIndex.build(revision, self._store.all_chunks())
                index = self._index
        return index

    def search(self, query: str, k: int = 5) -> SearchResult:
        if not query or not query.strip():
            raise EmptyQuery("the query is empty")
        if k < 1:
            raise ValueError("k must be at least 1")
        index = self.lexical_index()
        if not index.chunks:
            return SearchResult(query=query, passages=[], relevant=False, reason="the store is empty")
        bm25 = index.scores(query)
        n_cand = min(max(CANDIDATES, k), len(index.chunks))
        lexical_rank = [int(i) for i in np.argsort(-bm25, kind="stable")[:n_cand] if bm25[i] > 0]
        vector = self._embedder().encode([query])[0]
        dense = [(index.by_id[cid], sim) for cid, sim in self._store.query(vector, n_cand) if cid in index.by_id]
        fused: dict[int, float] = {}
        for rank, i in enumerate(lexical_rank):
            fused[i] = fused.get(i, 0.0) + self.bm25_weight / (RRF_K + rank + 1)
        if np.linalg.norm(vector) > 0:
            for rank, (i, _) in enumerate(dense):
                fused[i] = fused.get(i, 0.0) + self.dense_weight / (RRF_K + rank + 1)
        dense_sim = dict(dense)
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        q_terms = content_terms(query)
        passages = [
            Passage(
                chunk_id=index.chunks[i].chunk.id, doc_id=index.chunks[i].chunk.doc_id,
                title=index.chunks[i].chunk.title, section=index.chunks[i].chunk.section,
                text=index.chunks[i].chunk.text, start=index.chunks[i].chunk.start,
                end=index.chunks[i].chunk.end, score=round(fused[i], 6),
                bm25_score=round(float(bm25[i]), 4),
                dense_score=round(float(dense_sim[i]), 4) if i in dense_sim else None,
                coverage=round(index.coverage(q_terms, i), 4),
            )
            for i in order
        ]
        relevant, reason = self._judge(q_terms, passages)
        return SearchResult(query=query, passages=passages, relevant=relevant, reason=reason)

    def _judge(self, q_terms: list[str], passages: list[Passage]) -> tuple[bool, str]:
        if not passages:
            return False, "nothing matched"
        if not q_terms:
            return False, "the question has no content words to match"
        best_cov = max(p.coverage for p in passages)
        best_dense = max((p.dense_score or 0.0) for p in passages)
        if best_cov >= self.min_relevance or best_dense >= DENSE_RELEVANT:
            return True, f"coverage {best_cov:.2f}, dense {best_dense:.2f}"
        return False, (
            f"best passage covers {best_cov:.0%} of the question's terms "
            f"(needs {self.min_relevance:.0%}); dense similarity {best_dense:.2f}"
        )
