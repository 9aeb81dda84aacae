"""The learned offline reader: shipped heads match the shipped corpus, phrasings it was not
trained on, knowledge questions state no facts, and the heads rebuild from the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.extraction import extract_situation
from advisor.extraction.heads import CLASSES, NUMERIC, TOPIC, Heads
from advisor.extraction.reader import HEADS_PATH, load_heads, topic_probability
from advisor.extraction.train import (
    QUESTION,
    CorpusError,
    corpus_sha256,
    load_corpus,
    load_questions,
    main,
    train,
)


def test_the_shipped_heads_were_fitted_on_the_shipped_corpus() -> None:
    rows = load_corpus() + load_questions()
    heads = load_heads()
    assert heads.rows == len(rows)
    # fails when the corpus or the question keys change without `advisor train-reader`
    assert heads.corpus_sha256 == corpus_sha256(rows)
    on_topic = [r for r in rows if r.get(TOPIC, True) and not r.get(QUESTION)]
    off_topic = [r for r in rows if not r.get(TOPIC, True)]
    assert len(on_topic) >= 2000 and len(off_topic) >= 1000
    stated = {f for r in on_topic for f in r["facts"]}  # type: ignore[union-attr]
    assert stated == set(CLASSES), "every Situation field is taught by the corpus"
    assert set(heads.weights) >= set(CLASSES) - set(NUMERIC) | {TOPIC}


# Written for this test, in words and subjects the topic corpus does not use.
@pytest.mark.parametrize(
    "text",
    [
        "Could a model we customise ourselves keep up with tariff sheets that change monthly?",
        ("Our claims assistant invents policy clauses; the adjusters want every answer traced "
        "to the page of the policy wording it came from."),
        "Is it worth paying for a bigger base model instead of teaching a small one our style?",
        "The assistant should open a repair ticket in our field-service system on its own.",
    ],
)
def test_the_topic_head_knows_on_topic_messages_it_was_not_trained_on(text: str) -> None:
    p = topic_probability(text)
    assert p is not None and p >= 0.7, p


@pytest.mark.parametrize(
    "text",
    [
        "How should I retrieve my luggage if the airline lost it?",
        "Compose a sonnet about a lighthouse keeper's retirement.",
    ],
)
def test_the_topic_head_knows_off_topic_messages_it_was_not_trained_on(text: str) -> None:
    # Case-shaped off-topic messages ("3 million SKUs in Oracle ...") sit higher; the service
    # still refuses them because the words do not agree either (tests/test_service.py).
    p = topic_probability(text)
    assert p is not None and p < 0.2, p


def test_an_off_topic_row_states_no_facts(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"text": "fix my bike", "on_topic": False, "facts": {"regulated": True}})
        + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a\.jsonl:1: an off-topic message states no facts"):
        load_corpus(tmp_path)
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "x", "on_topic": "no"}) + "\n",
                                      encoding="utf-8")
    with pytest.raises(CorpusError, match=r"a\.jsonl:1: on_topic must be true or false"):
        load_corpus(tmp_path)


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
    heads = train(corpus, tmp_path / "heads.npz", log=lambda _: None, questions=None)
    again = Heads.load(tmp_path / "heads.npz")
    assert again.rows == len(rows) and again.corpus_sha256 == corpus_sha256(rows)
    assert set(again.weights) == set(heads.weights) and again.weights
    assert HEADS_PATH.exists()


def test_a_field_with_its_own_threshold_needs_a_surer_head() -> None:
    import numpy as np

    from advisor.extraction.reader import FIELD_THRESHOLD, THRESHOLD, combine
    from advisor.schemas.decision import Situation

    assert FIELD_THRESHOLD["needs_private_knowledge"] > THRESHOLD
    between = (THRESHOLD + FIELD_THRESHOLD["needs_private_knowledge"]) / 2
    probs = {
        "needs_private_knowledge": np.array([1 - between, between, 0.0]),  # None, True, False
        "needs_citations": np.array([1 - between, between, 0.0]),
    }
    facts = combine(probs, Situation())
    assert "needs_private_knowledge" not in facts  # not sure enough for this field
    assert facts["needs_citations"] is True  # the common threshold for the others
    # a pattern's value stands whatever the head says
    assert combine(probs, Situation(needs_private_knowledge=False))["needs_private_knowledge"] is False


def test_asking_whether_a_general_model_can_do_it_beats_a_head_reading_prompting_tried(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from advisor.extraction import reader

    class SureItWasTried:  # a head sure that prompting was tried, whatever the message
        def predict(self, x: object) -> list[dict[str, np.ndarray]]:
            return [{"prompting_tried": np.array([0.0, 1.0, 0.0])}]  # None, True, False

    monkeypatch.setattr(reader, "load_heads", lambda: SureItWasTried())
    reader.read_situation.cache_clear()
    try:
        asks = reader.read_situation("Could a general-purpose LLM tag our survey comments?")
        assert asks.prompting_tried is False and asks.considered_approach == "prompting"
        # a stated outcome is evidence of a try: the inference does not override it then
        tried = reader.read_situation(
            "We tried prompting and the tags are inconsistent. Could a general LLM do better?")
        assert tried.prompting_tried is True
    finally:
        reader.read_situation.cache_clear()


def test_counted_documents_leave_no_size_to_the_heads() -> None:
    # a collection nothing consults reads no "large", and the heads do not guess a size the
    # counted documents contradict
    s = extract_situation("We must convert 20,000 pages of grid codes into a new XML schema.")
    assert s.knowledge_size not in ("fits_in_prompt", "none")


def test_routing_into_queues_is_no_action_for_the_heads_to_fill() -> None:
    s = extract_situation("We have 40,000 labelled support tickets and need each routed to one "
                          "of 12 queues, about 30k a day; a prompt works but costs too much.")
    assert s.needs_actions is False
    assert s.labeled_examples == 40_000
