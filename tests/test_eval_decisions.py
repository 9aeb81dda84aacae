"""Decision eval: metric code against hand-computed values, loader errors, dataset bar."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.decisions import (
    DatasetError,
    DecisionCase,
    evaluate,
    format_report,
    load_cases,
    main,
    offline_predict,
)

DATASETS = Path(__file__).resolve().parents[1] / "evals" / "datasets"


def _case(i: str, expected: str, acceptable: tuple[str, ...] = ()) -> DecisionCase:
    return DecisionCase(id=i, situation=f"situation {i}", expected=expected, acceptable=acceptable)


FIXTURE = [
    (_case("a", "rag"), "rag"),
    (_case("b", "rag"), "prompting"),
    (_case("c", "prompting"), "prompting"),
    (_case("d", "hybrid", ("rag",)), "rag"),  # accepted alternative: counts as a rag hit
    (_case("e", "tool_calling"), "fine_tuning"),
]


def _run(pairs: list[tuple[DecisionCase, str]]) -> dict:
    answers = {c.situation: p for c, p in pairs}
    return evaluate([c for c, _ in pairs], answers.__getitem__)


def test_metrics_match_hand_computed_values() -> None:
    m = _run(FIXTURE)
    assert m["n"] == 5 and m["correct"] == 3
    assert m["accuracy"] == 0.6
    # rag: tp 2 (a, d), predicted 2, support 3 (a, b, d) -> p 1, r 2/3, f1 0.8
    assert m["per_label"]["rag"] == {"precision": 1.0, "recall": 0.6667, "f1": 0.8, "support": 3}
    # prompting: tp 1, predicted 2 (b, c), support 1 -> p 0.5, r 1, f1 2/3
    assert m["per_label"]["prompting"] == {
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.6667,
        "support": 1,
    }
    assert m["per_label"]["fine_tuning"]["f1"] == 0.0  # predicted once, never right
    assert m["per_label"]["hybrid"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert m["per_label"]["tool_calling"]["recall"] == 0.0
    # macro over all five labels: (0.8 + 0.6667 + 0 + 0 + 0) / 5
    assert m["macro_f1"] == pytest.approx(0.2933, abs=1e-4)
    assert [miss["id"] for miss in m["misses"]] == ["b", "e"]


def test_confusion_matrix_rows_expected_columns_predicted() -> None:
    m = _run(FIXTURE)
    c = m["confusion"]
    assert c["labels"] == ["prompting", "rag", "fine_tuning", "hybrid", "tool_calling"]
    row = dict(zip(c["labels"], c["matrix"], strict=True))
    assert row["rag"] == [1, 2, 0, 0, 0, 0]
    assert row["prompting"] == [1, 0, 0, 0, 0, 0]
    assert row["tool_calling"] == [0, 0, 1, 0, 0, 0]
    assert row["hybrid"] == [0] * 6
    assert sum(map(sum, c["matrix"])) == 5


def test_perfect_predictions_score_one_and_invalid_labels_score_zero() -> None:
    cases = [
        _case(str(i), label)
        for i, label in enumerate(["prompting", "rag", "fine_tuning", "hybrid", "tool_calling"])
    ]
    perfect = evaluate(cases, lambda s: next(c.expected for c in cases if c.situation == s))
    assert perfect["accuracy"] == 1.0 and perfect["macro_f1"] == 1.0
    garbage = evaluate(cases, lambda s: "agents")
    assert garbage["accuracy"] == 0.0 and garbage["macro_f1"] == 0.0
    assert [row[-1] for row in garbage["confusion"]["matrix"]] == [1, 1, 1, 1, 1]


def test_evaluate_prints_nothing_and_report_has_the_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    m = _run(FIXTURE)
    assert capsys.readouterr().out == ""
    report = format_report(m)
    assert "accuracy=0.600" in report and "macro_f1=0.293" in report
    assert "confusion" in report and "tool_calling" in report
    assert "b: expected rag, got prompting" in report
    json.dumps(m)  # the metrics are plain JSON


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = '{"id": "d01", "situation": "docs change weekly", "expected": "rag"}'


def test_load_cases_reads_the_contract_and_skips_blank_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [GOOD, "", '{"id": "d02", "situation": "x", "expected": "hybrid", "acceptable": ["rag"]}'],
    )
    cases = load_cases(path)
    assert [c.id for c in cases] == ["d01", "d02"]
    assert (
        cases[1].acceptable == ("rag",)
        and cases[1].accepts("rag")
        and not cases[1].accepts("prompting")
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"id": "d02", "situation": "x", "expected": "rag"', "invalid JSON"),
        ('["d02", "x", "rag"]', "expected a JSON object"),
        ('{"id": "d02", "situation": "x"}', "expected"),
        ('{"id": "d02", "situation": "x", "expected": "agents"}', "expected"),
        (
            '{"id": "d02", "situation": "x", "expected": "rag", "acceptable": ["magic"]}',
            "acceptable",
        ),
        ('{"id": "d02", "situation": "   ", "expected": "rag"}', "situation"),
        ('{"id": "d02", "situation": "x", "expected": "rag", "label": "rag"}', "label"),
        ('{"id": "d01", "situation": "x", "expected": "rag"}', "duplicate id 'd01'"),
    ],
)
def test_load_cases_names_the_bad_line(tmp_path: Path, bad: str, message: str) -> None:
    path = _write(tmp_path, [GOOD, "", bad])
    with pytest.raises(DatasetError) as info:
        load_cases(path)
    assert f"{path}:3:" in str(info.value)
    assert message in str(info.value)
    assert info.value.line == 3 and isinstance(info.value, ValueError)


def test_load_cases_rejects_an_empty_file_and_a_missing_one(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no cases"):
        load_cases(_write(tmp_path, [""]))
    with pytest.raises(FileNotFoundError):
        load_cases(tmp_path / "missing.jsonl")


# ---- the shipped datasets --------------------------------------------------------------------


def test_shipped_dataset_meets_the_contract_and_the_bar() -> None:
    cases = load_cases(DATASETS / "decisions.jsonl")
    assert len(cases) >= 60
    counts = Counter(c.expected for c in cases)
    assert all(
        counts[label] >= 10
        for label in ("prompting", "rag", "fine_tuning", "hybrid", "tool_calling")
    )
    metrics = evaluate(cases, offline_predict)
    assert metrics["accuracy"] >= 0.9, format_report(metrics)


def test_holdout_dev_set_generalises() -> None:
    cases = load_cases(DATASETS / "decisions_holdout_dev.jsonl")
    assert len(cases) >= 20
    metrics = evaluate(cases, offline_predict)
    assert metrics["accuracy"] >= 0.8, format_report(metrics)


def test_module_entry_point_emits_json_last_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["--dataset", str(DATASETS / "decisions_holdout_dev.jsonl"), "--json", "--threshold", "0.5"]
    )
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert code == 0
    assert set(json.loads(last)) == {"n", "accuracy", "macro_f1", "correct"}
