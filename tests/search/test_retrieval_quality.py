"""Retrieval quality guards: the blind, fresh, unseen, sealed and locked sets are valid,
clear-cut questions land at rank 1, stated facts and counts lift the passages that name them, and the
relevance flag tells on-topic questions from off-topic ones. No timing assertions (the
benchmark, ``benchmarks/retrieval_tuning.py``, measures speed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.knowledge.documents import load_folder
from advisor.knowledge.ingest import stored_chunks
from advisor.search.knowledge_base import KnowledgeBase
from evals.metrics import first_relevant_rank, normalize
from evals.retrieval import load_cases

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "evals" / "datasets"
DOCS = {d.id: d for d in load_folder(ROOT / "knowledge").documents}


@pytest.mark.parametrize(
    ("name", "size"), [("retrieval_blind", 25), ("retrieval_fresh", 150), ("retrieval_unseen", 100),
                       ("retrieval_sealed", 100), ("retrieval_locked", 100)]
)
def test_independent_sets_quotes_are_verbatim_and_reachable(name: str, size: int) -> None:
    cases = load_cases(SETS / f"{name}.jsonl")
    assert len(cases) >= size
    assert {e.doc for c in cases for e in c.evidence} == set(DOCS), "every article is covered"
    chunks = [normalize(s.chunk.text) for d in DOCS.values() for s in stored_chunks(d, 1200, 200)]
    for case in cases:
        for ev in case.evidence:
            quote = normalize(ev.quote)
            assert ev.doc in DOCS, f"{case.id}: unknown doc {ev.doc}"
            assert quote in normalize(DOCS[ev.doc].text), f"{case.id}: quote is not verbatim"
            assert any(quote in c for c in chunks), f"{case.id}: no default chunk holds the quote"


@pytest.fixture(scope="module")
def kb(fitted_data_dir: Path) -> KnowledgeBase:
    from advisor.config import load_settings

    return KnowledgeBase(load_settings(data_dir=fitted_data_dir))


# Each is answered by one passage, in words the passage does not use (the lexicon bridges them).
CLEAR_CUT = [
    ("Our app has to work offline on a phone. Which approach?",
     "allowing for fully offline, fast inference"),
    ("How long do fine-tuning training runs usually take?", "training runs that take hours to days"),
    ("Is the choice between RAG and fine-tuning permanent?",
     "The fine-tuning vs RAG decision isn't permanent."),
    ("Our chatbot keeps making things up. Is more training data the fix?",
     "Hallucinations usually come from missing context, not wrong model weights."),
    ("Can fine-tuning damage a huge model's general abilities?",
     "fine-tuning risks damaging the model's innate ability to chat"),
    ("What are LoRA-style methods called in this context?", "parameter-efficient adaptation"),
    ("Does fine-tuning lock us into one model?", "Fine-tuning locks you into a model."),
    ("What is the most common RAG failure?", "The most common RAG failure is poor chunking"),
    ("Can you trace a fine-tuned model's answer back to a training example?",
     "you can’t trace a response back to a training example"),
]


@pytest.mark.parametrize(("question", "quote"), CLEAR_CUT)
def test_clear_cut_questions_find_their_passage_first(
    kb: KnowledgeBase, question: str, quote: str
) -> None:
    result = kb.search(question, 5)
    assert result.relevant
    top = result.passages[0]
    assert normalize(quote) in normalize(top.text), (
        f"rank 1 was {top.section!r}: {top.text[:120]!r}"
    )


@pytest.mark.parametrize("question", [
    "what's the capital of France", "how do I bake sourdough",
    "What is a good recipe for sourdough bread?", "how do I renew my passport",
])
def test_off_topic_questions_are_not_relevant(kb: KnowledgeBase, question: str) -> None:
    assert not kb.search(question, 5).relevant


@pytest.mark.parametrize("question", [
    "Should we fine-tune or use RAG?", "our chatbot makes stuff up",
    "we need the answers in strict JSON every time", "is retrieval cheaper than training?",
    "KB edits w/o a retrain cycle: which arch?",
])
def test_on_topic_questions_are_relevant(kb: KnowledgeBase, question: str) -> None:
    assert kb.search(question, 5).relevant


def test_scores_are_ordered_and_carry_both_sides(kb: KnowledgeBase) -> None:
    result = kb.search("retrieval latency versus a fine-tuned model", 5)
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)
    assert all(p.bm25_score is not None for p in result.passages)
    assert any(p.dense_score is not None for p in result.passages)


# The question's example count, not its words, picks the passage: every passage about
# fine-tuning mentions examples.
COUNTED = [
    ("We only have about sixty labeled examples. Which approach makes sense?",
     "You have less than 100 examples."),
    ("A law firm wants to tag contract clauses by risk, but they have about 60 labeled examples.",
     "You have less than 100 examples."),
    ("our team has about 5,000 approved support replies; worth training on them?",
     "1,000+ high-quality"),
]


def _rank(kb: KnowledgeBase, question: str, quote: str) -> int:
    rank = first_relevant_rank([p.text for p in kb.search(question, 10).passages], [quote])
    return rank or 99


@pytest.mark.parametrize(("question", "quote"), COUNTED)
def test_a_stated_example_count_finds_the_threshold_it_meets(
    kb: KnowledgeBase, question: str, quote: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.search import retrieval
    assert _rank(kb, question, quote) == 1
    monkeypatch.setattr(retrieval, "COUNT_WEIGHT", 0.0)
    assert _rank(kb, question, quote) > 1, "words alone already found it: the case proves nothing"


# The question states a fact (live data) in words no passage uses; the extractor reads the fact,
# and the concepts it implies lift the passage that names it.
SITUATED = [
    "Users ask for today's exchange rate. What do we build?",
    "The bot must tell drivers where their truck is right now.",
    "Answers need the current order status from our shop system.",
]


@pytest.mark.parametrize("question", SITUATED)
def test_a_stated_fact_lifts_the_passage_that_names_it(
    kb: KnowledgeBase, question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.search import retrieval
    quote = "The task requires real-time data."
    with_facts = _rank(kb, question, quote)
    assert with_facts <= 10
    monkeypatch.setattr(retrieval, "SITUATION_WEIGHT", 0.0)
    assert _rank(kb, question, quote) > with_facts, "the words alone rank it as high"
