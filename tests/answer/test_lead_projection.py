"""The lead's question projection: fitted on the shipped training questions, it moves a question
towards the sentence that answers it, and its training data is checked line by line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from advisor.answer.lead import LeadFinder, _fold
from advisor.answer.lead_projection import (
    PROJECTION_PATH,
    fit_projection,
    shipped_projection,
    training_digest,
)
from advisor.answer.lead_training import corpus_questions, key_questions
from advisor.search.knowledge_base import KnowledgeBase


@pytest.fixture(scope="module")
def index(fitted_data_dir: Path):  # type: ignore[no-untyped-def]
    from advisor.config import load_settings

    return LeadFinder(KnowledgeBase(load_settings(data_dir=fitted_data_dir)))._sentences()


def test_the_shipped_projection_was_fitted_on_the_shipped_questions(shared_settings, index) -> None:
    questions = key_questions(shared_settings.knowledge_dir) + corpus_questions()
    with np.load(PROJECTION_PATH) as data:
        meta = json.loads(str(data["meta"]))
    # fails when the keys, the lead corpus or the articles change without `advisor train-lead`
    assert meta["data"] == training_digest([q for q, _ in questions], index.texts)
    assert meta["questions"] >= 1000
    projection = shipped_projection()
    assert projection is not None and projection.shape == (384, 384)


def test_the_lead_corpus_answers_are_sentences_the_lead_can_quote(index) -> None:
    """A few answers are fragments the lead never quotes alone (a table cell, a three-word
    line): training leaves those rows out. Nearly all must match."""
    folded = [_fold(t) for t in index.texts]
    rows = corpus_questions()
    quotable = [any(_fold(a) in f or f in _fold(a) for a in answers for f in folded)
                for _, answers in rows]
    assert sum(quotable) >= 0.97 * len(rows), [q for (q, _), ok in zip(rows, quotable) if not ok]


def test_a_bad_lead_corpus_row_is_reported_by_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "q.jsonl").write_text('{"question": "why?", "answers": ["Because."]}\n'
                                      '{"question": "and?"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"q\.jsonl:2"):
        corpus_questions(tmp_path)
    (tmp_path / "q.jsonl").write_text('{"question": " ", "answers": ["x"]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"q\.jsonl:1: a row needs a question"):
        corpus_questions(tmp_path)
    with pytest.raises(ValueError, match="no \\*.jsonl files"):
        corpus_questions(tmp_path / "missing")


def test_train_lead_reports_a_bad_corpus_without_a_traceback(tmp_path: Path, capsys) -> None:
    from advisor.answer.lead_training import main
    from advisor.config import load_settings

    (tmp_path / "q.jsonl").write_text('{"question": "why?"}\n', encoding="utf-8")
    out = tmp_path / "projection.npz"
    assert main(load_settings(data_dir=tmp_path / "data"), out=out, corpus=tmp_path) == 2
    assert "q.jsonl:1" in capsys.readouterr().err and not out.exists()


def test_fitting_puts_each_training_question_next_to_its_answer() -> None:
    rng = np.random.default_rng(0)
    sentences = rng.normal(size=(40, 16))
    sentences /= np.linalg.norm(sentences, axis=1, keepdims=True)
    answers = [[int(i)] for i in rng.integers(0, 40, size=120)]
    # each question is its answer turned by a fixed rotation, plus noise: the identity ranks
    # the answer by chance, a fitted map learns to turn it back
    rotation, _ = np.linalg.qr(rng.normal(size=(16, 16)))
    questions = np.stack([sentences[a[0]] @ rotation for a in answers])
    questions += 0.05 * rng.normal(size=questions.shape)
    questions /= np.linalg.norm(questions, axis=1, keepdims=True)

    def top1(w: np.ndarray) -> float:
        best = np.argmax((questions @ w) @ sentences.T, axis=1)
        return float(np.mean([b == a[0] for b, a in zip(best, answers, strict=True)]))

    fitted = fit_projection(questions, answers, sentences, lam=1e-4, log=lambda _: None)
    assert top1(np.eye(16)) < 0.2 < 0.9 < top1(fitted)
    with pytest.raises(ValueError, match="no training question"):
        fit_projection(questions, [[] for _ in answers], sentences, log=lambda _: None)


# Written for this test, in other words than the sentence that answers each.
@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("once we're serving millions of calls a month, which of the two gets cheaper to run?",
         "Fine-tuning wins at scale."),
        ("which option is cheaper per request when traffic is very high?",
         "Fine-tuning wins at scale."),
        ("is there anything you need before you can even start on retrieval, data-wise?",
         "RAG needs documents, not labeled examples."),
        ("do I need a labelled dataset to get started with retrieval?",
         "RAG needs documents, not labeled examples."),
        ("if my product facts change every week, can a trained model keep up?",
         "Fine-tuning requires retraining or continued training, which has cost, latency, and "
         "quality tradeoffs."),
    ],
)
def test_the_projection_brings_a_paraphrase_nearer_its_answer(index, question, answer) -> None:
    from advisor.answer.lead import _sentence_encoder

    row = next(i for i, t in enumerate(index.texts) if _fold(answer) in _fold(t))
    q = _sentence_encoder([question])[0]
    projection = shipped_projection()
    assert projection is not None

    def rank(vector: np.ndarray) -> int:  # how many of the store's sentences come first
        sims = index.vectors @ vector
        return int((sims > sims[row]).sum())

    assert rank(q @ projection) < rank(q) / 2


def test_a_projection_file_of_the_wrong_shape_is_refused(tmp_path: Path, caplog) -> None:
    path = tmp_path / "projection.npz"
    np.savez(path, projection=np.zeros((3, 4), dtype=np.float32))
    assert shipped_projection.__wrapped__(path) is None  # type: ignore[attr-defined]
    assert "not a square projection" in caplog.text
