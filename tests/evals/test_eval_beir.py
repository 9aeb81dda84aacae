"""The BEIR runner on a tiny fixture dataset written here (8 documents, 3 queries)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import beir

DOCS = [
    (
        "d1",
        "Glacier melt rates",
        (
            "Alpine glaciers lose mass each summer; melt rates doubled since 1990 "
            "according to satellite altimetry of twelve glaciers."
        ),
    ),
    (
        "d2",
        "Coffee and sleep",
        (
            "Caffeine taken late in the day delays sleep onset and shortens deep "
            "sleep in healthy adults, a randomized trial found."
        ),
    ),
    (
        "Doc_3/B",
        "Bee colony collapse",
        (
            "Neonicotinoid pesticides impair honeybee foraging and are "
            "linked to colony collapse in field studies across Europe."
        ),
    ),
    (
        "d4",
        "Ocean acidification",
        (
            "Rising carbon dioxide lowers seawater pH, which dissolves the "
            "shells of pteropods and harms coral reefs."
        ),
    ),
    (
        "d5",
        "Sleep and memory",
        (
            "Deep sleep consolidates declarative memory; students deprived of "
            "sleep recalled fewer word pairs the next morning."
        ),
    ),
    (
        "d6",
        "Urban heat islands",
        (
            "Cities are warmer than surrounding farmland because asphalt and "
            "concrete store heat; trees cool streets measurably."
        ),
    ),
    (
        "d7",
        "Honeybee navigation",
        (
            "Honeybees use the sun as a compass and communicate the direction "
            "of flowers with the waggle dance."
        ),
    ),
    ("d8", "", ""),  # empty: skipped
]
QUERIES = {
    "q1": "Caffeine late in the day delays sleep onset.",
    "q2": "Neonicotinoid pesticides cause honeybee colony collapse.",
    "q3": "Glacier melt rates have doubled since 1990.",
    "q9": "A query without judgements is not run.",
}
QRELS = [("q1", "d2", 1), ("q2", "Doc_3/B", 1), ("q2", "d7", 1), ("q3", "d1", 1)]


@pytest.fixture
def beir_dir(tmp_path: Path) -> Path:
    root = tmp_path / "tinybeir"
    (root / "qrels").mkdir(parents=True)
    with (root / "corpus.jsonl").open("w") as fh:
        for i, title, text in DOCS:
            fh.write(json.dumps({"_id": i, "title": title, "text": text, "metadata": {}}) + "\n")
    with (root / "queries.jsonl").open("w") as fh:
        for q, text in QUERIES.items():
            fh.write(json.dumps({"_id": q, "text": text, "metadata": {}}) + "\n")
    # BEIR's files: a header line and CRLF line ends
    body = "query-id\tcorpus-id\tscore\r\n" + "".join(f"{q}\t{d}\t{s}\r\n" for q, d, s in QRELS)
    (root / "qrels" / "test.tsv").write_bytes(body.encode())
    return root


def test_load_strips_crlf_and_header_and_skips_empty_docs(beir_dir: Path) -> None:
    data = beir.load_beir(beir_dir, "test")
    assert data.qrels == {"q1": {"d2": 1}, "q2": {"Doc_3/B": 1, "d7": 1}, "q3": {"d1": 1}}
    assert set(data.queries) == {"q1", "q2", "q3"}
    assert len(data.corpus) == 7 and data.skipped_docs == 1
    with pytest.raises(beir.BeirError, match="missing"):
        beir.load_beir(beir_dir, "dev")


def test_doc_ids_map_to_valid_slugs_and_back() -> None:
    from advisor.schemas.retrieval import is_valid_doc_id

    slugs = beir.doc_slugs(["4983", "Doc_3/B", "MED-10", "_x"])
    assert slugs["4983"] == "4983"
    assert all(is_valid_doc_id(s) for s in slugs.values())
    assert len(set(slugs.values())) == 4


def test_score_run_by_hand() -> None:
    qrels = {"a": {"x": 1}, "b": {"y": 1, "z": 1}}
    run = {"a": ["w", "x"], "b": ["y"]}
    s = beir.score_run(run, qrels)
    assert s["mrr@10"] == pytest.approx((1 / 2 + 1) / 2)
    assert s["recall@100"] == pytest.approx((1 + 0.5) / 2)
    ndcg_a = (1 / 1.5849625007211563) / 1.0
    ndcg_b = 1.0 / (1 + 1 / 1.5849625007211563)
    assert s["ndcg@10"] == pytest.approx((ndcg_a + ndcg_b) / 2)
    assert beir.score_run({}, qrels)["ndcg@10"] == 0.0  # queries with no run score 0


def test_bm25_baseline_tokens_and_ranking(beir_dir: Path) -> None:
    assert beir.bm25_tokens("The Glacier's melt-rates, in 1990!") == [
        "glacier",
        "s",
        "melt",
        "rates",
        "1990",
    ]
    run, _ = beir.bm25_run(beir.load_beir(beir_dir))
    assert run["q1"][0] == "d2" and run["q2"][0] == "Doc_3/B" and run["q3"][0] == "d1"


def test_evaluate_end_to_end_on_the_fixture(beir_dir: Path, settings, tmp_path: Path) -> None:
    store = tmp_path / "beir-store"
    m = beir.evaluate(beir_dir, settings, store_dir=store, ablations=True)
    assert m["n"] == 3 and m["documents"] == 7 and m["chunks"] >= 7
    for key in ("ndcg@10", "recall@100", "mrr@10", "bm25_ndcg@10", "ratio_ndcg@10"):
        assert 0.0 <= m[key] <= 1.5, key
    # every relevant document is retrieved (7 documents, k=100) and ranked well
    assert m["recall@100"] == 1.0 and m["bm25_recall@100"] == 1.0
    assert m["mrr@10"] >= 0.8 and m["ndcg@10"] >= 0.7
    assert {"advisor (hybrid)", "plain BM25 (bm25s, peer recipe)"} <= set(m["systems"])
    assert len(m["systems"]) == 4 + len(beir.ABLATION_DENSE_WEIGHTS)  # the ablations too
    assert m["ingest_s"] > 0 and m["query_ms_p50"] > 0 and m["query_ms_p95"] >= m["query_ms_p50"]
    assert (store / "embedder").is_dir()  # fitted on this corpus, in the fresh store
    assert settings.data_dir != store  # the caller's store was not touched
    report = beir.format_report(m)
    assert "| advisor (hybrid) |" in report and "ratio advisor / plain BM25" in report
    flat = beir.headline(m)
    assert json.loads(json.dumps(flat))["n"] == 3
    paths = beir.write_results(m, tmp_path / "out")
    assert {p.name for p in paths} == {"results.json", "report.md"}
    with pytest.raises(beir.BeirError, match="empty"):
        beir.evaluate(beir_dir, settings, store_dir=store)  # not a fresh folder


def test_cli_json_last_line(beir_dir: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    from advisor.cli import main

    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "unused"))
    assert main(["eval", "beir", "--data", str(beir_dir), "--json", "--no-progress"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    metrics = json.loads(out[-1])
    assert {
        "ndcg@10",
        "recall@100",
        "mrr@10",
        "n",
        "ingest_s",
        "query_ms_p50",
        "query_ms_p95",
        "bm25_ndcg@10",
        "ratio_ndcg@10",
    } <= set(metrics)
    assert not (tmp_path / "unused").exists()  # a temporary store, not the user's
    assert main(["eval", "beir", "--data", str(tmp_path / "nowhere")]) == 2
