"""The learned offline reader: shipped heads match the shipped corpus, phrasings it was not
trained on, knowledge questions state no facts, and the heads rebuild from the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.extraction import extract_situation
from advisor.extraction.heads import CLASSES, NUMERIC, Heads
from advisor.extraction.reader import HEADS_PATH, load_heads
from advisor.extraction.train import CorpusError, corpus_sha256, load_corpus, main, train


def test_the_shipped_heads_were_fitted_on_the_shipped_corpus() -> None:
    rows = load_corpus()
    heads = load_heads()
    assert len(rows) >= 2000 and heads.rows == len(rows)
    # fails when the corpus is edited without `advisor train-reader`
    assert heads.corpus_sha256 == corpus_sha256(rows)
    stated = {f for r in rows for f in r["facts"]}  # type: ignore[union-attr]
    assert stated == set(CLASSES), "every Situation field is taught by the corpus"
    assert set(heads.weights) >= set(CLASSES) - set(NUMERIC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The help-centre articles our agents answer from get rewritten every week.",
         {"knowledge_change_frequency": "weekly"}),
        ("Each answer has to link back to the paragraph of the handbook it came from.",
         {"needs_citations": True}),
        ("Technicians use it on tablets down in the mine, where there is no network at all.",
         {"deployment": "on_device"}),
        ("We have roughly 12,000 tickets that our agents already labelled by hand.",
         {"labeled_examples": 12000}),
        ("Customers keep asking where their parcel is right now, and that lives in the "
         "carrier's tracking system.", {"needs_live_data": True}),
        ("It must file the refund in our billing system on its own.", {"needs_actions": True}),
        ("A plain prompt with gpt-4o already does exactly what we need.",
         {"prompting_tried": True, "prompting_outcome": "works"}),
    ],
)
def test_phrasings_the_reader_was_not_trained_on(text: str, expected: dict[str, object]) -> None:
    read = extract_situation(text).known()
    assert {k: read.get(k) for k in expected} == expected, read


def test_a_bad_corpus_row_is_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"text": "ok", "facts": {}}) + "\n"
        + json.dumps({"text": "bad", "facts": {"regulated": "maybe"}}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"a\.jsonl:2"):
        load_corpus(tmp_path)
    assert main(["--corpus", str(tmp_path), "--out", str(tmp_path / "h.npz")]) == 2


def test_the_heads_rebuild_from_a_corpus(tmp_path: Path) -> None:
    rows = load_corpus()[::25]  # a small slice keeps the test fast; the real run uses them all
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "slice.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    heads = train(corpus, tmp_path / "heads.npz", log=lambda _: None)
    again = Heads.load(tmp_path / "heads.npz")
    assert again.rows == len(rows) and again.corpus_sha256 == corpus_sha256(rows)
    assert set(again.weights) == set(heads.weights) and again.weights
    assert HEADS_PATH.exists()
