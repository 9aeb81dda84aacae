"""``advisor eval decisions`` runs extraction and decision only, and both evals say who read and
who wrote each reply, and how long each case took."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers.openai_wire import Wire, completion, kind, llama_like

from advisor.llm import OfflineChatModel
from advisor.service import Advisor
from evals import commands, predictors
from evals.provenance import Progress, SourceTally, format_tally

CASES = [
    {"id": "d1", "situation": "We answer support questions from a wiki that changes weekly and "
     "must cite sources.", "expected": "rag"},
    {"id": "d2", "situation": "Customers ask where their order is right now.",
     "expected": "tool_calling"},
]


def _dataset(tmp_path: Path) -> Path:
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in CASES))
    return path


def test_the_decision_predictor_composes_no_answer(shared_settings: Any) -> None:
    llm = OfflineChatModel()
    advisor = Advisor(shared_settings, llm=llm)
    tally = SourceTally()
    predict = predictors.decision_predictor(advisor, [], tally)
    assert predict(CASES[0]["situation"]).approach == "rag"
    assert llm.history, "extraction goes through the chat model"
    assert not any("<advisor-context>" in str(m.content) for h in llm.history for m in h)
    assert tally.metrics()["extraction_offline"] == 1.0 and len(tally.case_seconds) == 1


def test_eval_decisions_with_a_model_reports_sources_and_seconds(
    shared_settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("langchain_openai")
    situations = iter([{"knowledge_change_frequency": "weekly", "needs_private_knowledge": True,
                        "needs_citations": True},
                       {"knowledge_change_frequency": "fortnightly"},  # invalid, twice
                       {"knowledge_change_frequency": "fortnightly"}])

    def handle(body: dict[str, Any]) -> httpx.Response:
        if kind(body) == "json_schema":
            return llama_like({}, "")(body)
        return completion(tool_args=next(situations))

    wire = Wire(handle)
    advisor = Advisor(shared_settings, llm=wire.chat_model(base_url="http://eval.test/v1"))
    monkeypatch.setattr(commands, "_advisor", lambda settings: advisor)
    args = argparse.Namespace(dataset=_dataset(tmp_path), json=True)
    assert commands.run_decisions(args, shared_settings) == 0
    out, err = capsys.readouterr()
    metrics = json.loads(out.strip().splitlines()[-1])
    assert metrics["accuracy"] == 1.0  # the fallback reader got d2 right
    assert metrics["extraction_llm"] == 0.5 and metrics["extraction_offline_fallback"] == 0.5
    assert metrics["seconds_per_case_mean"] > 0
    assert "compose" not in wire.kinds()
    assert "extraction by: llm 50%, offline 0%, offline_fallback 50%" in out
    assert "decisions: 2/2" in err  # progress, a line per case with a real model


def test_eval_answers_reports_both_sources(
    shared_settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(commands, "_advisor", lambda settings: Advisor(settings))
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "m1", "turns": [CASES[0]["situation"], "It must be JSON."],
                                "expect": {"covered": True}}) + "\n")
    args = argparse.Namespace(dataset=path, json=True)
    assert commands.run_answers(args, shared_settings) == 0
    metrics = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert metrics["extraction_offline"] == 1.0 and metrics["composition_offline"] == 1.0
    assert metrics["seconds_per_case_mean"] > 0


def test_tally_counts_a_conversation_as_one_case() -> None:
    tally = SourceTally()
    tally.record("llm", "llm")
    tally.add_case(2.0)
    tally.record("llm", "offline_fallback")
    tally.add_to_case(3.0)
    tally.record("offline_fallback", "offline_fallback")
    tally.add_case(1.0)
    m = tally.metrics()
    assert m["extraction_llm"] == round(2 / 3, 4) and m["composition_offline_fallback"] == round(
        2 / 3, 4)
    assert tally.case_seconds == [5.0, 1.0] and m["seconds_per_case_max"] == 5.0
    assert "composition by: llm 33%" in format_tally(m)


def test_progress_prints_a_line_per_case_off_a_terminal() -> None:
    out = io.StringIO()
    progress = Progress(2, "decisions", show=True, stream=out)
    progress.step("rag")
    progress.step("tool_calling")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("decisions: 1/2  rag") and lines[1].startswith("decisions: 2/2")
    quiet = io.StringIO()
    Progress(1, "x", show=False, stream=quiet).step("y")
    assert quiet.getvalue() == ""
