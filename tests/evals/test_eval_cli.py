"""``advisor eval …`` as a user runs it. ``test_eval_all_is_the_ci_gate`` IS the CI gate: it runs
every offline suite in a subprocess against the committed baseline and fails on a regression."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "evals" / "datasets"


def test_eval_all_is_the_ci_gate(tmp_path: Path) -> None:
    out = tmp_path / "report"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(
        PYTHONPATH=str(ROOT),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ADVISOR_DATA_DIR=str(tmp_path / "not-used"),
    )
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "eval", "all", "--out", str(out)],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, (
        f"eval all failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    )
    for name in (
        "report.md",
        "report.json",
        "summary.json",
        "confusion.png",
        "hit_at_k.png",
        "latency.png",
    ):
        assert (out / name).is_file(), name
    for png in out.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = json.loads((out / "report.json").read_text())
    assert report["gate"] is not None and report["gate"]["passed"] is True
    assert set(report["suites"]) >= {
        "retrieval",
        "retrieval_holdout_dev",
        "retrieval_blind",
        "retrieval_fresh",
        "retrieval_unseen",
        "retrieval_sealed",
        "retrieval_locked",
        "decisions",
        "decisions_holdout_dev",
        "decisions_fresh",
        "decisions_real",
        "decisions_real2",
        "decisions_real3",
        "answers",
    }
    assert report["summary"]["decisions_real.facts_accuracy"] > 0
    assert report["summary"]["decisions_real2.reading_accuracy"] > 0
    assert report["summary"]["decisions_real3.facts_accuracy"] > 0
    assert report["summary"]["answers.citation_validity"] == 1.0
    assert "gate: PASSED" in proc.stdout
    assert not (tmp_path / "not-used").exists()  # a fresh temporary store, not the user's
    print(f"eval all took {elapsed:.1f}s")


@pytest.fixture
def use_shared_store(monkeypatch: pytest.MonkeyPatch, fitted_data_dir: Path) -> Path:
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(fitted_data_dir))
    return fitted_data_dir


def _subset(src: Path, dest: Path, ids: set[str]) -> Path:
    lines = [
        line
        for line in src.read_text().splitlines()
        if line.strip() and json.loads(line)["id"] in ids
    ]
    dest.write_text("\n".join(lines) + "\n")
    return dest


def test_compare_bm25_reports_both_and_adds_flat_keys(use_shared_store: Path, tmp_path: Path,
                                                      capsys) -> None:
    from advisor.cli import main

    dataset = tmp_path / "r.jsonl"
    rows = [json.loads(x) for x in (DATASETS / "retrieval.jsonl").read_text().splitlines()
            if x.strip()][:6]
    dataset.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["eval", "retrieval", "--dataset", str(dataset), "--compare-bm25", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    metrics = json.loads(out[-1])
    assert metrics["n"] == 6
    for key in ("hit@1", "hit@3", "hit@5", "mrr@10"):
        assert 0.0 <= metrics[f"bm25_reference_{key}"] <= 1.0
    assert any("plain BM25" in line for line in out[:-1])


def test_eval_decisions_json_last_line(use_shared_store: Path, tmp_path: Path, capsys) -> None:
    from advisor.cli import main

    dataset = tmp_path / "d.jsonl"
    dataset.write_text(
        "\n".join(
            json.dumps(c)
            for c in [
                {
                    "id": "x1",
                    "situation": "Our support wiki changes every week and answers must cite the page.",
                    "expected": "rag",
                },
                {
                    "id": "x2",
                    "situation": "The assistant must check live order status in our ERP and issue "
                    "refunds through the payments API.",
                    "expected": "tool_calling",
                },
            ]
        )
        + "\n"
    )
    assert main(["eval", "decisions", "--dataset", str(dataset), "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    metrics = json.loads(lines[-1])
    assert metrics["n"] == 2 and 0.0 <= metrics["accuracy"] <= 1.0
    assert {
        "macro_f1",
        "precision_rag",
        "recall_rag",
        "recall_tool_calling",
        "latency_ms_p50",
    } <= set(metrics)
    assert any("accuracy" in line for line in lines[:-1])  # the human report comes first


def test_eval_answers_json_last_line(use_shared_store: Path, tmp_path: Path, capsys) -> None:
    from advisor.cli import main

    dataset = _subset(DATASETS / "answers.jsonl", tmp_path / "a.jsonl", {"s01", "m01", "u01"})
    assert main(["eval", "answers", "--dataset", str(dataset), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert metrics["n"] == 3 and metrics["turns"] == 4
    assert metrics["citation_validity"] == 1.0
    for key in (
        "citation_support",
        "abstention_rate",
        "false_abstention_rate",
        "approach_accuracy",
        "latency_ms_p50",
        "latency_ms_p95",
        "invalid_citations_removed",
    ):
        assert key in metrics, key


def test_eval_errors_are_reported_not_raised(
    use_shared_store: Path, tmp_path: Path, capsys
) -> None:
    from advisor.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "turns": ["q"], "expect": {"approach_after_each_turn": ["magic"]}}\n'
    )
    assert main(["eval", "answers", "--dataset", str(bad)]) == 2
    assert main(["eval", "decisions", "--dataset", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl:1" in err and "missing.jsonl" in err
