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

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"


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
        ('{"id": "d02", "situation": "x", "expected": "rag", "facts": {"budget": 3}}', "budget"),
        ('{"id": "d02", "situation": "x", "expected": "rag", "facts": {"regulated": "maybe"}}',
         "facts.regulated"),
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


# ---- facts, reading and metadata ------------------------------------------------------------


def test_rows_keep_metadata_and_facts_round_trip(tmp_path: Path) -> None:
    row = {
        "id": "x1", "situation": "Our policies change weekly and answers must cite them.",
        "expected": "rag", "source": "a blog post <https://example.org>", "note": "explicit",
        "facts": {"knowledge_change_frequency": "weekly", "needs_citations": True},
    }
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    (case,) = load_cases(path)
    assert case.metadata == {"source": row["source"], "note": "explicit"}
    assert case.facts is not None and case.facts.known() == row["facts"]
    m = evaluate([case], lambda _: "rag")
    assert m["per_case"][0]["source"] == row["source"] and m["per_case"][0]["note"] == "explicit"
    assert m["facts_n"] == 1 and m["facts_accuracy"] == 1.0


def test_facts_accuracy_scores_the_decision_tool_alone() -> None:
    from advisor.schemas.decision import Situation

    cases = [
        DecisionCase(id="a", situation="s a", expected="tool_calling",
                     facts=Situation(needs_actions=True)),
        DecisionCase(id="b", situation="s b", expected="fine_tuning",
                     facts=Situation(knowledge_size="large", needs_private_knowledge=True)),
        DecisionCase(id="c", situation="s c", expected="rag"),  # no facts: not counted
    ]
    m = evaluate(cases, lambda _: "prompting")
    assert m["accuracy"] == 0.0
    assert m["facts_n"] == 2 and m["facts_accuracy"] == 0.5
    assert [c.get("from_facts") for c in m["per_case"]] == ["tool_calling", "rag", None]
    assert "decided wrongly from the given facts (1)" in format_report(m)


def test_reading_is_scored_per_field_against_the_given_facts() -> None:
    from advisor.schemas.decision import Situation
    from evals.decisions import Prediction

    facts = Situation(needs_citations=True, labeled_examples=40000, deployment="on_premises")
    read = Situation(needs_citations=True, labeled_examples=38000, deployment="cloud",
                     regulated=True)
    case = DecisionCase(id="a", situation="s", expected="rag", facts=facts)
    m = evaluate([case], lambda _: Prediction("rag", read))
    # citations agree, 38k is within 10 % of 40k, the deployment differs; regulated is spurious
    assert m["reading_accuracy"] == round(2 / 3, 4) and m["reading_fields"] == 3
    assert m["reading"]["deployment"] == {"n": 1, "agree": 0, "spurious": 0, "accuracy": 0.0}
    assert m["reading"]["regulated"]["spurious"] == 1 and m["reading"]["regulated"]["n"] == 0
    assert m["per_case"][0]["reading"]["wrong"] == {
        "deployment": {"expected": "on_premises", "read": "cloud"}
    }
    report = format_report(m)
    assert "reading_accuracy=0.667" in report and "deployment" in report


def test_extras_accuracy_decides_from_the_facts_plus_the_readers_extra_fields() -> None:
    from advisor.decision import decide
    from advisor.schemas.decision import Situation
    from evals.decisions import Prediction

    facts = Situation(needs_private_knowledge=True, knowledge_size="large")
    assert decide(facts).approach == "rag"
    # the reader agrees on both given fields and adds a live-data need the facts leave unknown
    read = Situation(needs_private_knowledge=True, knowledge_size="large", needs_live_data=True)
    assert decide(read).approach == "tool_calling"
    case = DecisionCase(id="a", situation="s", expected="rag", facts=facts)
    m = evaluate([case], lambda _: Prediction("tool_calling", read))
    assert m["reading_accuracy"] == 1.0 and m["facts_accuracy"] == 1.0
    assert m["per_case"][0]["from_facts_and_extras"] == "tool_calling"
    assert m["extras_accuracy"] == 0.0 and m["extras_flips"] == {"needs_live_data": 1}
    assert "needs_live_data 1" in format_report(m)
    # a reader that adds nothing leaves the facts' decision as it is
    m = evaluate([case], lambda _: Prediction("rag", facts))
    assert m["extras_accuracy"] == 1.0 and m["extras_flips"] == {}
    assert "extras_accuracy=1.000" in format_report(m)


def test_the_json_line_carries_the_component_figures(tmp_path: Path, capsys) -> None:
    rows = [
        {"id": "a", "situation": "We need live stock levels from our warehouse system.",
         "expected": "tool_calling", "facts": {"needs_live_data": True}},
        {"id": "b", "situation": "What is LoRA?", "expected": "prompting", "facts": {}},
    ]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert main(["--dataset", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["n"] == 2 and out["facts_n"] == 2 and out["facts_accuracy"] == 1.0
    assert "reading_accuracy" in out and "extras_accuracy" in out
    assert "extras_flips" not in out  # a dict: in the report, not the scalar line
