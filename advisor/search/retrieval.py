"""Hybrid retrieval: lexical search with a domain lexicon, plus dense search in Chroma.

Lexical side (``bm25s``, Lucene's BM25 variant, queried with weighted terms):

* every text is analysed into Snowball stems plus the concept tokens of ``advisor.text.lexicon``
  (the same analysis at index and query time, like a search engine's synonym filter), so
  "customizing a model" meets "fine-tuning" and "makes things up" meets "hallucinates";
* a chunk is scored twice: as a whole (title, section and text) and by its best window of two
  consecutive sentences (plus the section heading, and for a list item the line introducing
  the list), because a question usually targets one claim and a long chunk's other sentences
  only dilute it. Each side is divided by the query's best score of that side, and the two are
  combined as ``WINDOW_WEIGHT * window + CHUNK_WEIGHT * chunk``. Sentences are analysed once;
  windows and chunks are concatenations of sentence token ids, two ``bm25s`` indexes over
  the same vocabulary; a query's word terms and concept tokens are scored as two groups and
  summed with their weights (``CONCEPT_WEIGHT``).

A question that says how many labelled examples the team has ("we have about sixty") is also
matched by number: a window stating an example-count threshold the count meets ("less than 100
examples") gets ``COUNT_WEIGHT`` added to its normalised score (``advisor.search.count_match``). The
facts a question states are read by the decision's extractor, and the lexicon concepts they
imply without the question naming them ("feeds that update every few minutes": live data) are
a third query group (``SITUATION_WEIGHT``, ``advisor.search.situation_match``). A chunk's question keys
(questions the document's sidecar says it answers, ``advisor.knowledge.question_keys``) are a third index:
the question's words are scored over the keys by BM25 (over the best key's or best window's
score, whichever is higher), and each chunk gets ``KEY_WEIGHT`` times its best key's score plus
``KEY_AGREEMENT`` times each of its next ``KEY_TOP - 1``.

Dense side: cosine similarity from the store. The two are fused as a convex combination of
normalised scores (``bm25_weight`` on the lexical score, ``dense_weight`` on the dense one,
min-max rescaled), not by reciprocal rank: on a small corpus rank fusion lets the weaker
ranker's noise decide. The offline dense model is fitted on the same stems and concepts, so it
mostly breaks ties (0.2).

Window scoring suits chunks of long, multi-topic articles (several paragraphs, list items or
sub-sections in one chunk), where a question targets one claim. A chunk of one block (one
paragraph: an abstract) is one topic, and its window score only adds noise, so the chunk's own
structure decides: one-block chunks are scored whole (``(WINDOW_WEIGHT + CHUNK_WEIGHT) *
chunk``). On BEIR SciFact (train) this took nDCG@10 from 0.650 to 0.685 with our three sets
unchanged; see ``benchmarks/retrieval_tuning.py --beir``.

The lexical index is derived from the store and rebuilt whenever the store's revision changes,
so several processes sharing one Chroma server see each other's writes on both sides.
Each result says whether anything relevant was found (IDF-weighted share of the question's
content terms present in the best passages, a term counting half when the passage only names
the same lexicon concept, question-framing words ignored; or a strong dense match) so callers
can abstain.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from advisor.knowledge.embeddings import Embedder
from advisor.knowledge.store import ChunkStore, StoredChunk
from advisor.schemas.retrieval import Passage, SearchResult
from advisor.search.count_match import Range, meets, question_count, thresholds
from advisor.search.situation_match import implied_concepts
from advisor.text.analysis import analysis, analyze
from advisor.text.words import content_terms

# Tuned with benchmarks/retrieval_tuning.py (its docstring says what each idea did).
K1, B = 1.2, 0.75  # chunk-level BM25
WINDOW_K1, WINDOW_B = 1.2, 0.3  # window-level BM25 (windows are short and similar in length)
WINDOW_SENTENCES = 2
WINDOW_WEIGHT = 1.0  # best window's score (each side is divided by its best score first)
CHUNK_WEIGHT = 0.3  # whole chunk's score
CONCEPT_WEIGHT = 1.5  # weight of a query's concept token relative to one of its words
SECTION_WEIGHT = 1  # times the section heading's tokens are added to every window of the section
LIST_INTRO_WEIGHT = 1  # times a list item's window also counts the line introducing the list
STRUCTURE_DECIDES = True  # a one-block chunk (one paragraph, an abstract) is scored whole
COUNT_WEIGHT = 0.75  # bonus of a window whose example-count threshold the question's count meets
SITUATION_WEIGHT = 1.0  # weight of a concept the question's stated facts imply but do not name
KEY_WEIGHT = 1.0  # a chunk's question keys (BM25 over the keys, over the best key's score)
KEY_TOP = 5  # a chunk's best-matching keys that count: the best, and up to four agreeing
KEY_AGREEMENT = 0.25  # weight of each of those further keys relative to the best one
CANDIDATES = 50
CONCEPT_COVERAGE = 0.5  # a question term the passage only matches through its concept
DENSE_RELEVANT = 0.55  # cosine similarity that counts as relevant on its own
MAX_SENTENCES = 32  # per chunk, for window scoring (see _bounded)

_BULLET = re.compile(r"^\s*(?:[-*•●▪◦‣]|\d{1,2}[.)])\s+")
_SENTENCE = re.compile(r"(?<=[.!?…:])[\"”’)]?\s+(?=\S)|\n+|(?<=[a-z][.!?])(?=[A-Z])")


class EmptyQuery(ValueError):
    """The query has no words to search for."""


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def _bounded(sentences: list[str], most: int = MAX_SENTENCES) -> list[str]:
    """At most ``most`` sentences: beyond that (a chunk of hundreds of one-word lines, which no
    article has: the shipped ones have at most 21) consecutive ones are joined, so the index's
    work stays proportional to a chunk's size, not to its line count."""
    if len(sentences) <= most:
        return sentences
    step = -(-len(sentences) // most)
    return ["\n".join(sentences[i:i + step]) for i in range(0, len(sentences), step)]


def _blocks(text: str) -> int:
    """Non-empty lines of a chunk: its paragraphs, list items and sub-section lines."""
    return sum(1 for line in text.splitlines() if line.strip())


def _list_intros(sentences: Sequence[str]) -> list[int | None]:
    """For each sentence that is a list item, the index of the line introducing its list
    ("Choose RAG when:"), which says what the item is about; None otherwise."""
    out: list[int | None] = []
    intro: int | None = None
    for i, s in enumerate(sentences):
        if _BULLET.match(s):
            out.append(intro)
        else:
            intro = i if s.rstrip().endswith(":") else None
            out.append(None)
    return out


class _BM25:
    """``bm25s`` (Lucene variant) over token-id lists, queried with weighted terms.

    A query is a few groups of tokens, each with a weight (words 1, lexicon concepts
    ``CONCEPT_WEIGHT``); ``bm25s`` scores each group (a repeated token counts again) and the
    groups are summed with their weights, which is BM25 with a weighted query vector.
    """

    def __init__(self, docs: list[list[int]], vocab: dict[str, int], k1: float, b: float) -> None:
        import bm25s

        self.n = len(docs)
        self.vocab = vocab
        self._model = bm25s.BM25(k1=k1, b=b, method="lucene", dtype="float64")
        # ids are 0..len(vocab)-1; bm25s wants the (documents' ids, vocabulary) form
        self._model.index((docs, dict(vocab)), create_empty_token=False, show_progress=False)

    def scores(self, groups: Sequence[tuple[Sequence[str], float]]) -> np.ndarray:
        out = np.zeros(self.n)
        for tokens, weight in groups:
            ids = [self.vocab[t] for t in tokens if t in self.vocab]
            if ids and weight:
                out += weight * self._model.get_scores_from_ids(ids)
        return out


def _query_groups(query: str) -> list[tuple[list[str], float]]:
    """The query's word terms (weight 1 each, repeats counting again), its concept tokens
    (``CONCEPT_WEIGHT`` each) and the concepts its stated facts imply without naming them
    (``SITUATION_WEIGHT`` each, ``advisor.search.situation_match``)."""
    terms, concepts = analyze(query, stop_plus=True)
    groups = [(terms, 1.0), (concepts, CONCEPT_WEIGHT)]
    if SITUATION_WEIGHT:
        groups.append((implied_concepts(query, set(concepts)), SITUATION_WEIGHT))
    return groups


def _normalised(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


@dataclass
class _LexicalIndex:
    revision: str
    chunks: list[StoredChunk]
    chunk_bm25: _BM25 | None
    window_bm25: _BM25 | None
    window_owner: np.ndarray  # chunk of each window (windows are grouped by chunk, in order)
    window_starts: np.ndarray  # index of each chunk's first window
    window_counts: dict[int, list[Range]]  # example-count thresholds a window states
    structured: np.ndarray  # chunk spans several blocks (paragraphs, list items, sub-sections)
    key_bm25: _BM25 | None  # the chunks' question keys (``advisor.knowledge.question_keys``)
    key_owner: np.ndarray  # chunk of each key
    terms: list[frozenset[str]]  # content terms and concept tokens, for the relevance check
    idf: dict[str, float]
    by_id: dict[str, int]

    @classmethod
    def build(cls, revision: str, chunks: list[StoredChunk]) -> _LexicalIndex:
        """Analyse each sentence once; windows and chunks are concatenations of sentence
        token ids (the section heading repeated ``SECTION_WEIGHT`` times in every window, a
        list item's intro line ``LIST_INTRO_WEIGHT`` times), indexed by ``bm25s``; a window's
        example-count thresholds are its sentences'."""
        vocab: dict[str, int] = {}

        def ids(tokens: list[str]) -> list[int]:
            return [vocab.setdefault(t, len(vocab)) for t in tokens]

        section_repeat, intro_repeat = int(SECTION_WEIGHT), int(LIST_INTRO_WEIGHT)
        window_docs: list[list[int]] = []
        window_counts: dict[int, list[Range]] = {}
        chunk_docs: list[list[int]] = []
        owner: list[int] = []
        structured: list[bool] = []
        terms: list[frozenset[str]] = []
        key_docs: list[list[int]] = []
        key_owner: list[int] = []
        for i, s in enumerate(chunks):
            c = s.chunk
            for question in c.questions:
                q = analysis(question)
                key_docs.append(ids(q.terms(stop_plus=True) + q.concepts))
                key_owner.append(i)
            structured.append(_blocks(c.text) > 1)
            head = analysis(f"{c.title}\n{c.section}")
            section = analysis(c.section)
            texts = _bounded(_sentences(c.text)) or [c.text]
            parts = [analysis(t) for t in texts]
            intro = _list_intros(texts)
            sentence_ids = [ids(p.terms() + p.concepts) for p in parts]
            sentence_counts = [thresholds(t) for t in texts]
            section_ids = ids(section.terms() + section.concepts) * section_repeat
            whole = ids(head.terms() + head.concepts)
            for sent in sentence_ids:
                whole += sent
            chunk_docs.append(whole)
            for start in range(max(1, len(parts) - WINDOW_SENTENCES + 1)):
                window: list[int] = []
                for sent in sentence_ids[start:start + WINDOW_SENTENCES]:
                    window += sent
                if intro[start] is not None:
                    window += sentence_ids[intro[start]] * intro_repeat
                stated = [r for rs in sentence_counts[start:start + WINDOW_SENTENCES] for r in rs]
                if stated:
                    window_counts[len(window_docs)] = stated
                window_docs.append(window + section_ids)
                owner.append(i)
            covered = set(head.terms(stop_plus=True)) | set(head.concepts)
            for p in parts:
                covered.update(p.terms(stop_plus=True))
                covered.update(p.concepts)
            terms.append(frozenset(covered))
        chunk_bm25 = window_bm25 = key_bm25 = None
        owners = np.asarray(owner, dtype=np.int64)
        if chunks and vocab:
            chunk_bm25 = _BM25(chunk_docs, vocab, K1, B)
            window_bm25 = _BM25(window_docs, vocab, WINDOW_K1, WINDOW_B)
        if key_docs:
            key_bm25 = _BM25(key_docs, vocab, K1, B)
        df: dict[str, int] = {}
        for ts in terms:
            for t in ts:
                df[t] = df.get(t, 0) + 1
        n = max(len(chunks), 1)
        idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        return cls(
            revision, chunks, chunk_bm25, window_bm25, owners,
            np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if len(owners) else owners,
            window_counts,
            np.asarray(structured, dtype=bool),
            key_bm25, np.asarray(key_owner, dtype=np.int64),
            terms, idf, {s.chunk.id: i for i, s in enumerate(chunks)},
        )

    def unseen_idf(self) -> float:
        return math.log((len(self.chunks) + 1) / 0.5)

    def scores(self, query: str) -> np.ndarray:
        """Lexical score of every chunk: best window plus a share of the whole chunk's, plus
        ``KEY_WEIGHT`` times its best question keys'."""
        groups = _query_groups(query)
        if self.chunk_bm25 is None or self.window_bm25 is None:
            return np.zeros(len(self.chunks))
        windows = self.window_bm25.scores(groups)
        best = np.maximum.reduceat(self._window_scores(query, windows), self.window_starts)
        whole = _normalised(self.chunk_bm25.scores(groups))
        if not STRUCTURE_DECIDES:
            out = WINDOW_WEIGHT * best + CHUNK_WEIGHT * whole
        else:
            out = np.where(self.structured, WINDOW_WEIGHT * best + CHUNK_WEIGHT * whole,
                           (WINDOW_WEIGHT + CHUNK_WEIGHT) * whole)
        if self.key_bm25 is not None and KEY_WEIGHT:
            out = out + KEY_WEIGHT * self._key_scores(groups[0], float(windows.max()))
        return out

    def _key_scores(self, words: tuple[list[str], float], best_window: float) -> np.ndarray:
        """Each chunk's question keys: BM25 of the query's words over the keys, divided by the
        best key's or the best window's score, whichever is higher (so a key counts fully only
        when it matches the question at least as well as any passage does). A chunk scores its
        best key plus ``KEY_AGREEMENT`` times each of its next ``KEY_TOP - 1``: several
        anticipated questions like this one are better evidence than one that shares a word or
        two, without letting the passages with the most keys win on numbers. Words only:
        concepts already bridge question and passage, and on a key they let any question
        naming "fine-tuning" meet every key that does."""
        raw = self.key_bm25.scores([words])  # type: ignore[union-attr]
        top = max(float(raw.max()), best_window)
        keys = np.zeros(len(self.chunks))
        if top <= 0:
            return keys
        order = np.lexsort((-raw, self.key_owner))  # by chunk, each chunk's best key first
        owner = self.key_owner[order]
        rank = np.arange(owner.size) - np.searchsorted(owner, owner)
        counted = rank < KEY_TOP
        weight = np.where(rank[counted] == 0, 1.0, KEY_AGREEMENT)
        np.add.at(keys, owner[counted], weight * raw[order[counted]] / top)
        return keys

    def _window_scores(self, query: str, raw: np.ndarray) -> np.ndarray:
        """Every window's BM25 score over the best window's, plus ``COUNT_WEIGHT`` where the
        window states an example-count threshold the question's count meets."""
        scores = _normalised(raw)
        count = question_count(query) if self.window_counts and COUNT_WEIGHT else None
        if count is not None:
            for w, ranges in self.window_counts.items():
                if meets(count, ranges):
                    scores[w] += COUNT_WEIGHT
        return scores

    def coverage(self, query: QueryTerms, i: int) -> float:
        """IDF-weighted share of the query's content terms that chunk ``i`` mentions, a term
        counting as mentioned when the chunk names a lexicon concept the term stands for."""
        if not query.terms:
            return 0.0
        have = self.terms[i]
        total = found = 0.0
        for term, concepts in query.terms.items():
            weight = self.idf.get(term, self.unseen_idf())
            total += weight
            if term in have:
                found += weight
            elif any(c in have for c in concepts):
                found += CONCEPT_COVERAGE * weight
        return found / total if total else 0.0


@dataclass(frozen=True)
class QueryTerms:
    """A question's content terms, each with the concept tokens it helps express."""

    terms: dict[str, frozenset[str]]

    @classmethod
    def of(cls, query: str) -> QueryTerms:
        from advisor.text.lexicon import QUANTITY, concept_spans
        from advisor.text.words import stem_all, words

        ws = words(query)
        stems = stem_all(ws)
        content = set(content_terms(query)) - _framing_stems()
        by_position: dict[int, set[str]] = {}
        for start, end, token in concept_spans(stems):
            if token == QUANTITY:
                continue  # any number matches any number: no evidence of topic
            for p in range(start, end):
                by_position.setdefault(p, set()).add(token)
        terms: dict[str, set[str]] = {}
        for p, stem in enumerate(stems):
            if stem in content:
                terms.setdefault(stem, set()).update(by_position.get(p, ()))
        return cls({t: frozenset(c) for t, c in terms.items()})


class HybridRetriever:
    """Lexical (BM25 + lexicon, best-window) and dense retrieval over the chunk store."""

    def __init__(
        self,
        store: ChunkStore,
        embedder: Callable[[], Embedder],
        *,
        min_relevance: float = 0.35,
        bm25_weight: float = 1.0,
        dense_weight: float = 0.2,
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

    def _dense(self, query: str, index: _LexicalIndex, n: int) -> tuple[dict[int, float], float]:
        """Cosine similarity of the top ``n`` chunks, and the floor to assume for the rest."""
        if self.dense_weight <= 0:
            return {}, 0.0
        vector = self._embedder().encode([query])[0]
        if not np.linalg.norm(vector) > 0:
            return {}, 0.0
        found = [(index.by_id[cid], sim) for cid, sim in self._store.query(vector, n)
                 if cid in index.by_id]
        sims = dict(found)
        floor = min(sims.values()) if len(sims) < len(index.chunks) and sims else 0.0
        return sims, floor

    def search(self, query: str, k: int = 5) -> SearchResult:
        if not query or not query.strip():
            raise EmptyQuery("the query is empty")
        if k < 1:
            raise ValueError("k must be at least 1")
        index = self.lexical_index()
        if not index.chunks:
            return SearchResult(query=query, passages=[], relevant=False, reason="the store is empty")
        lexical = index.scores(query)
        n_cand = min(max(CANDIDATES, k), len(index.chunks))
        dense, floor = self._dense(query, index, n_cand)
        fused = self.bm25_weight * lexical
        if dense:
            sims = np.full(len(index.chunks), floor)
            for i, sim in dense.items():
                sims[i] = sim
            fused = fused + self.dense_weight * _rescaled(sims)
        candidate = lexical > 0
        if dense:
            candidate[list(dense)] = True
        order = _top(np.where(candidate, fused, -np.inf), min(k, int(candidate.sum())))
        q_terms = QueryTerms.of(query)
        passages = [
            Passage(
                chunk_id=index.chunks[i].chunk.id, doc_id=index.chunks[i].chunk.doc_id,
                title=index.chunks[i].chunk.title, section=index.chunks[i].chunk.section,
                text=index.chunks[i].chunk.text, start=index.chunks[i].chunk.start,
                end=index.chunks[i].chunk.end, score=round(float(fused[i]), 6),
                bm25_score=round(float(lexical[i]), 4),
                dense_score=round(float(dense[i]), 4) if i in dense else None,
                coverage=round(index.coverage(q_terms, i), 4),
            )
            for i in order
        ]
        relevant, reason = self._judge(q_terms, passages)
        return SearchResult(query=query, passages=passages, relevant=relevant, reason=reason)

    def _judge(self, q_terms: QueryTerms, passages: list[Passage]) -> tuple[bool, str]:
        if not passages:
            return False, "nothing matched"
        if not q_terms.terms:
            return False, "the question has no content words to match"
        best_cov = max(p.coverage for p in passages)
        best_dense = max((p.dense_score or 0.0) for p in passages)
        if best_cov >= self.min_relevance or best_dense >= DENSE_RELEVANT:
            return True, f"coverage {best_cov:.2f}, dense {best_dense:.2f}"
        return False, (
            f"best passage covers {best_cov:.0%} of the question's terms "
            f"(needs {self.min_relevance:.0%}); dense similarity {best_dense:.2f}"
        )


@lru_cache(maxsize=1)
def _framing_stems() -> frozenset[str]:
    """Stems of words that frame a question rather than say what it is about."""
    from advisor.text.lexicon import QUERY_STOPWORDS
    from advisor.text.words import stem_all

    return frozenset(stem_all(sorted(QUERY_STOPWORDS)))


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the ``k`` highest scores, best first (ties: lower index first)."""
    if k <= 0:
        return []
    part = np.argpartition(-scores, k - 1)[:k] if k < scores.size else np.arange(scores.size)
    return sorted(part.tolist(), key=lambda i: (-scores[i], i))


def _rescaled(sims: np.ndarray) -> np.ndarray:
    """Cosine similarities spread onto [0, 1] over this query's chunks (min-max)."""
    lo, hi = float(sims.min()), float(sims.max())
    return (sims - lo) / (hi - lo) if hi > lo else np.zeros_like(sims)

