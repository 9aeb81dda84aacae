"""The report builder on a tiny fixture: files written, plots are real PNGs made with Agg."""

from __future__ import annotations

import json
from pathlib import Path

from evals.gate import compare
from evals.report import PNG_SIGNATURE, write_report
from evals.suite import summarize

LABELS = ["prompting", "rag", "fine_tuning", "hybrid", "tool_calling"]


def _decisions(n_ok: int) -> dict:
    matrix = [[0] * 6 for _ in LABELS]
    for i in range(5):
        matrix[i][i] = n_ok
    matrix[1][3] = 1  # one rag case predicted hybrid
    per_label = {
        label: {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": n_ok} for label in LABELS
    }
    return {
        "suite": "decisions",
        "n": 5 * n_ok + 1,
        "accuracy": 0.96,
        "macro_f1": 0.95,
        "correct": 5 * n_ok,
        "per_label": per_label,
        "latency_ms_p50": 12.0,
        "confusion": {"labels": LABELS, "columns": [*LABELS, "invalid"], "matrix": matrix},
        "misses": [{"id": "d9", "expected": "rag", "predicted": "hybrid", "situation": "x"}],
    }


def _retrieval(n: int) -> dict:
    curve = {i: min(1.0, 0.5 + 0.05 * i) for i in range(1, 11)}
    return {
        "suite": "retrieval",
        "n": n,
        "k": 5,
        "hit@1": 0.55,
        "hit@3": 0.65,
        "hit@5": 0.75,
        "mrr@10": 0.62,
        "evidence_recall@5": 0.7,
        "hit_curve": curve,
        "latency_ms_p50": 3.0,
        "misses": [{"id": "r1"}],
    }


def _answers() -> dict:
    return {
        "suite": "answers",
        "n": 3,
        "turns": 4,
        "citation_validity": 1.0,
        "citation_verbatim": 1.0,
        "citation_support": 0.9,
        "citation_support_mean": 0.85,
        "abstention_rate": 1.0,
        "false_abstention_rate": 0.0,
        "uncovered_citations": 0,
        "approach_accuracy": 1.0,
        "approach_accuracy_on_change": None,
        "source_cited": 1.0,
        "invalid_citations_removed": 0,
        "markers": 9,
        "cited_sentences": 5,
        "covered_turns": 3,
        "uncovered_turns": 1,
        "judged_turns": 2,
        "latency_ms_p50": 10.0,
        "latency_ms_p95": 20.0,
        "failures": [{"id": "a1", "turn": 1, "problems": ["x"]}],
    }


RESULTS = {
    "config": {"llm": "offline"},
    "suites": {
        "retrieval": _retrieval(10),
        "retrieval_blind": {**_retrieval(5), "hide_misses": True},
        "decisions": _decisions(4),
        "answers": _answers(),
    },
    "latency": {"ask": [5.0, 7.5, 9.0, 12.0, 40.0, 8.0], "search": [1.0, 2.0, 2.5]},
    "ask_stages_ms_p50": {"retrieve": 3.0, "extract": 2.0},
}


def test_report_files_and_pngs(tmp_path: Path) -> None:
    import matplotlib

    summary = summarize(RESULTS)
    assert summary["retrieval.hit@5"] == 0.75 and summary["decisions.recall_rag"] == 1.0
    assert summary["latency.ask_ms_p50"] == 8.5 and "answers.citation_support" in summary
    gate = compare(summary, summary)
    paths = write_report(RESULTS, summary, tmp_path / "out", gate)
    names = {p.name for p in paths}
    assert names == {
        "confusion.png",
        "hit_at_k.png",
        "latency.png",
        "report.md",
        "report.json",
        "summary.json",
    }
    for p in paths:
        assert p.is_file() and p.stat().st_size > 0
        if p.suffix == ".png":
            head = p.read_bytes()[:24]
            assert head[:8] == PNG_SIGNATURE, p.name
            width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            assert width > 200 and height > 200
    assert matplotlib.get_backend().lower() == "agg"

    md = (tmp_path / "out" / "report.md").read_text()
    for needle in (
        "![hit@k](hit_at_k.png)",
        "![confusion matrices](confusion.png)",
        "![latency](latency.png)",
        "gate: PASSED",
        "| retrieval | 10 |",
        "citation validity (must be 1)",
        "Misses of `retrieval`",
        "d9 (rag→hybrid)",
    ):
        assert needle in md, needle
    assert "Misses of `retrieval_blind`" not in md  # the blind set shows totals only
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["gate"]["passed"] is True
    assert report["summary"]["retrieval.hit@5"] == 0.75
    assert report["suites"]["decisions"]["confusion"]["matrix"][1][3] == 1
    assert json.loads((tmp_path / "out" / "summary.json").read_text()) == json.loads(
        json.dumps(summary)
    )


def test_report_without_baseline_or_latency(tmp_path: Path) -> None:
    results = {**RESULTS, "latency": {}, "gate_note": "No baseline at x"}
    paths = write_report(results, summarize(results), tmp_path, None)
    assert "latency.png" not in {p.name for p in paths}
    assert "No baseline at x" in (tmp_path / "report.md").read_text()
