"""The regression gate: passes on an equal summary, fails on a worsened one, by the documented rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.gate import (
    FLOORS,
    LATENCY_FACTOR,
    QUALITY_TOLERANCE,
    compare,
    format_gate,
    load_summary,
    rule_for,
    write_summary,
)

ROOT = Path(__file__).resolve().parents[2]
BASELINE = {
    "retrieval.n": 54,
    "retrieval.hit@5": 0.9,
    "retrieval.mrr@10": 0.8,
    "decisions.accuracy": 0.85,
    "decisions.macro_f1": 0.8,
    "decisions.recall_rag": 0.9,
    "answers.citation_validity": 1.0,
    "answers.citation_verbatim": 1.0,
    "answers.citation_support": 0.9,
    "answers.false_abstention_rate": 0.1,
    "answers.invalid_citations_removed": 0,
    "latency.ask_ms_p50": 20.0,
    "_config": {"llm": "offline", "chunk_max_chars": "1200"},
}


def test_rules_by_metric_name() -> None:
    assert rule_for("retrieval_blind.hit@5") == "higher"
    assert rule_for("decisions.macro_f1") == "higher"
    assert rule_for("answers.false_abstention_rate") == "rate"
    assert rule_for("answers.invalid_citations_removed") == "count"
    assert rule_for("latency.ask_ms_p50") == "latency"
    assert rule_for("decisions.latency_ms_p50") == "latency"
    assert rule_for("latency.ask_ms_p95") == "info"  # the tail is too noisy on shared machines
    assert rule_for("decisions.recall_rag") == "info"  # per label: shown, not gated
    assert rule_for("retrieval.n") == "info"
    assert rule_for("answers.lead_answer_rate") == "higher"
    assert rule_for("answers.quote_relevance") == "higher"


def test_equal_summary_passes() -> None:
    result = compare(dict(BASELINE), BASELINE)
    assert result.passed and not result.failures and not result.notes
    assert {r.status for r in result.rows} <= {"ok", "info"}
    assert "gate: PASSED" in format_gate(result)


def test_small_moves_within_tolerance_pass() -> None:
    current = dict(
        BASELINE,
        **{
            "retrieval.hit@5": 0.9 - QUALITY_TOLERANCE,  # exactly at the tolerance
            "answers.false_abstention_rate": 0.1 + 0.02,
            "decisions.recall_rag": 0.5,  # not gated
            "latency.ask_ms_p50": 20.0 * LATENCY_FACTOR,  # slower, but within the generous bound
            "decisions.accuracy": 0.95,  # better
        },
    )
    result = compare(current, BASELINE)
    assert result.passed, format_gate(result)
    assert {r.metric: r.status for r in result.rows}["decisions.accuracy"] == "better"


def test_worsened_summary_fails_naming_the_metrics() -> None:
    current = dict(
        BASELINE,
        **{
            "retrieval.hit@5": 0.85,  # fell by 0.05
            "answers.false_abstention_rate": 0.2,  # rose by 0.1
            "answers.invalid_citations_removed": 1,  # any increase
            "latency.ask_ms_p50": 200.0,  # 10x and +180 ms
        },
    )
    del current["decisions.macro_f1"]  # a suite stopped reporting it
    result = compare(current, BASELINE)
    assert not result.passed
    assert sorted(r.metric for r in result.failures) == [
        "answers.false_abstention_rate",
        "answers.invalid_citations_removed",
        "decisions.macro_f1",
        "latency.ask_ms_p50",
        "retrieval.hit@5",
    ]
    text = format_gate(result)
    assert "FAILED (5 metric(s))" in text and "fell by 0.050" in text
    assert "| retrieval.hit@5 | higher | 0.9 | 0.85 |" in format_gate(result, markdown=True)


def test_one_case_may_flip_in_a_small_set_two_may_not() -> None:
    base = dict(
        BASELINE,
        **{
            "retrieval_holdout_dev.hit@5": 0.8,
            "answers.false_abstention_rate": 0.4444,
            "_denominators": {
                "retrieval_holdout_dev.hit@5": 20,
                "answers.false_abstention_rate": 45,
            },
        },
    )
    one = dict(
        base, **{"retrieval_holdout_dev.hit@5": 0.75, "answers.false_abstention_rate": 0.4667}
    )
    assert compare(one, base).passed, format_gate(compare(one, base))
    two = dict(
        base, **{"retrieval_holdout_dev.hit@5": 0.7, "answers.false_abstention_rate": 0.4889}
    )
    assert sorted(r.metric for r in compare(two, base).failures) == [
        "answers.false_abstention_rate",
        "retrieval_holdout_dev.hit@5",
    ]
    # on a large set the 0.02 floor rules: 283 decisions may lose 5 cases, not 6
    big = dict(
        BASELINE, **{"decisions.accuracy": 1.0, "_denominators": {"decisions.accuracy": 283}}
    )
    assert compare(dict(big, **{"decisions.accuracy": round(278 / 283, 4)}), big).passed
    assert not compare(dict(big, **{"decisions.accuracy": round(277 / 283, 4)}), big).passed


def test_floor_fails_even_when_the_baseline_was_as_bad() -> None:
    bad = dict(BASELINE, **{"answers.citation_validity": 0.98})
    result = compare(bad, bad)
    assert [r.metric for r in result.failures] == ["answers.citation_validity"]
    assert FLOORS["answers.citation_validity"] == 1.0


def test_dataset_and_config_changes_are_explained() -> None:
    current = dict(
        BASELINE,
        **{
            "retrieval.n": 60,
            "retrieval.hit@9": 0.95,
            "_config": {"llm": "offline", "chunk_max_chars": "800"},
        },
    )
    result = compare(current, BASELINE)
    assert result.passed
    assert any("retrieval.n changed from 54 to 60" in n for n in result.notes)
    assert any("chunk_max_chars '1200' -> '800'" in n for n in result.notes)
    assert {r.metric: r.status for r in result.rows}["retrieval.hit@9"] == "new"


def test_summary_round_trip_and_the_committed_baseline(tmp_path: Path) -> None:
    path = write_summary(BASELINE, tmp_path / "b" / "summary.json")
    assert load_summary(path) == json.loads(json.dumps(BASELINE))
    assert load_summary(tmp_path / "missing.json") is None
    (tmp_path / "list.json").write_text("[1]")
    with pytest.raises(ValueError):
        load_summary(tmp_path / "list.json")
    committed = load_summary(ROOT / "evals" / "results" / "baseline" / "summary.json")
    assert committed is not None, "commit a baseline: advisor eval all --update-baseline"
    assert committed["answers.citation_validity"] == 1.0
    assert {
        "retrieval.hit@5",
        "decisions.accuracy",
        "answers.citation_support",
        "answers.lead_answer_rate",
        "answers.quote_relevance",
        "latency.ask_ms_p50",
    } <= set(committed)
