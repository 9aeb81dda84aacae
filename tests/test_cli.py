"""The command line as a user runs it (real subprocesses, fresh data dirs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from advisor.config import SHIPPED_KNOWLEDGE


def run(*args: str, data: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env["ADVISOR_DATA_DIR"] = str(data)
    proc = subprocess.run([sys.executable, "-m", "advisor.cli", *args], capture_output=True,
                          text=True, env=env, timeout=240)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_ingest_search_ask_from_scratch(tmp_path: Path, fitted_data_dir: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(fitted_data_dir / "embedder", data / "embedder")
    first = run("ingest", str(SHIPPED_KNOWLEDGE), "--no-progress", data=data)
    assert "added 5" in first.stdout
    again = run("ingest", str(SHIPPED_KNOWLEDGE), "--no-progress", data=data)
    assert "added 0, replaced 0, removed 0, unchanged 5" in again.stdout

    search = run("search", "When does fine-tuning beat RAG?", "-k", "2", data=data)
    assert search.stdout.count("\n[") + search.stdout.startswith("[") == 2
    assert "›" in search.stdout  # title › section

    ask = run("ask", "Our phone app must work with no connectivity.", data=data)
    assert "Recommendation:" in ask.stdout and "Sources" in ask.stdout

    as_json = json.loads(run("ask", "We need live stock prices in answers.", "--json", data=data).stdout)
    assert as_json["recommendation"]["approach"] == "tool_calling"


def test_errors_are_one_line_not_tracebacks(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run("ingest", str(empty), data=tmp_path / "d", check=False)
    assert proc.returncode == 2 and proc.stderr.startswith("error:") and "Traceback" not in proc.stderr
    proc = run("search", "   ", data=tmp_path / "d2", check=False)
    assert proc.returncode == 2 and "empty" in proc.stderr


def test_the_text_reply_names_who_read_and_who_wrote() -> None:
    from helpers.replies import make_reply

    from advisor.answer.render_text import render_reply

    text = render_reply(make_reply(extraction="llm", composition="offline_fallback",
                                   fallback_reasons=["the model's answer was empty"]))
    assert "situation read by: llm; answer written by: offline_fallback" in text
    assert "note: the model's answer was empty" in text
