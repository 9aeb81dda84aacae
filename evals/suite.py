"""``advisor eval all``: every offline suite on the project's datasets, a report, and the gate.

The run is reproducible by construction: a fresh store (a temporary data dir unless
``--data-dir``) with the shipped articles, the offline (mock) chat model whatever
``ADVISOR_LLM`` says, and the rest of the settings from the environment (so a retrieval
setting can be evaluated with ``ADVISOR_CHUNK_MAX_CHARS=800 advisor eval all``; the report
and summary record the configuration, and the gate says when it differs from the
baseline's).

Suites: retrieval (``retrieval``, ``retrieval_holdout_dev``, ``retrieval_blind``: the blind
set contributes totals only, never its misses; ``retrieval_fresh``: 150 questions written by
five independent authors who never saw the system; ``retrieval_unseen``: 100 more by four other
such authors, totals only like the blind set; ``retrieval_sealed``: 100 more by four further
authors, written in session 5 and totals only as well; ``retrieval_locked``: 100 more by three
further authors, written in session 6 before its changes, totals only), decisions (``decisions``,
``decisions_holdout_dev``; ``decisions_fresh`` (60 cases) and ``decisions_real`` (50 real teams' cases with sources), both with facts, written in session 7 before its changes and totals only; ``decisions_real2``, 50 more real cases written in session 16 before its changes; ``decisions_real3``, 300 messages in real teams' register written in session 17 before its changes; through ``Advisor.ask``), answers (``answers``). Then
``evals.report`` writes report.md, report.json, summary.json and the plots, and
``evals.gate`` compares summary.json with ``evals/results/baseline/summary.json``: the
exit status is 1 when a metric fell by more than its tolerance, 0 otherwise.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATASETS = Path(__file__).resolve().parent / "datasets"
RETRIEVAL_SETS = (
    ("retrieval", "retrieval.jsonl"),
    ("retrieval_holdout_dev", "retrieval_holdout_dev.jsonl"),
    ("retrieval_blind", "retrieval_blind.jsonl"),
    ("retrieval_fresh", "retrieval_fresh.jsonl"),
    ("retrieval_unseen", "retrieval_unseen.jsonl"),
    ("retrieval_sealed", "retrieval_sealed.jsonl"),
    ("retrieval_locked", "retrieval_locked.jsonl"),
)
BLIND = {"retrieval_blind", "retrieval_unseen", "retrieval_sealed", "retrieval_locked",
         "decisions_fresh", "decisions_real"}
# sets by authors who never saw the system, headlined by hit@1, hit@3 and MRR@10 (the targets)
INDEPENDENT = ("retrieval_fresh", "retrieval_unseen", "retrieval_sealed", "retrieval_locked")
DECISION_SETS = (
    ("decisions", "decisions.jsonl"),
    ("decisions_holdout_dev", "decisions_holdout_dev.jsonl"),
    # written for session 7 before its changes, with facts; totals only (never tuned on)
    ("decisions_fresh", "decisions_fresh.jsonl"),
    ("decisions_real", "decisions_real.jsonl"),
    # 50 more real teams' cases with sources and facts, written in session 16 before its changes
    ("decisions_real2", "decisions_real2.jsonl"),
    # 300 messages in real teams' register (forum posts to long narratives), each modelled on a
    # public write-up, with the source's approach and facts; written in session 17 before its
    # changes
    ("decisions_real3", "decisions_real3.jsonl"),
)
ANSWER_SET = ("answers", "answers.jsonl")
RETRIEVAL_K = 5

SUMMARY_KEYS = {
    "retrieval": ("n", "hit@1", "hit@3", "hit@5", "mrr@10", "evidence_recall@5"),
    "decisions": ("n", "accuracy", "macro_f1", "facts_accuracy", "reading_accuracy"),
    "answers": (
        "n",
        "turns",
        "citation_validity",
        "citation_verbatim",
        "citation_support",
        "citation_support_mean",
        "abstention_rate",
        "false_abstention_rate",
        "uncovered_citations",
        "approach_accuracy",
        "approach_accuracy_on_change",
        "source_cited",
        "lead_answer_rate",
        "quote_relevance",
        "invalid_citations_removed",
    ),
}
CONFIG_KEYS = (
    "llm",
    "embedding_model",
    "chunk_max_chars",
    "chunk_overlap_chars",
    "top_k",
    "min_relevance",
)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def eval_settings(settings: Any, data_dir: Path) -> Any:
    from advisor.config import SHIPPED_KNOWLEDGE

    return settings.model_copy(
        update={
            "data_dir": Path(data_dir),
            "chroma_url": None,
            "llm": "offline",
            "knowledge_dir": SHIPPED_KNOWLEDGE,
        }
    )


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """The flat ``suite.metric`` figures the gate compares (plus ``_config``)."""
    from evals.metrics import percentile

    summary: dict[str, Any] = {}
    for name, m in results["suites"].items():
        for key in SUMMARY_KEYS[m["suite"]]:
            if key in m:
                summary[f"{name}.{key}"] = _round(m[key])
        if m["suite"] == "decisions":
            for label, v in m["per_label"].items():
                summary[f"{name}.recall_{label}"] = _round(v["recall"])
                summary[f"{name}.precision_{label}"] = _round(v["precision"])
    for call, values in results.get("latency", {}).items():
        if values:
            summary[f"latency.{call}_ms_p50"] = round(percentile(values, 50), 2)
            summary[f"latency.{call}_ms_p95"] = round(percentile(values, 95), 2)
    summary["_config"] = results.get("config", {})
    summary["_denominators"] = denominators(results)
    return summary


ANSWER_DENOMINATORS = {
    "citation_validity": "markers",
    "citation_support": "cited_sentences",
    "citation_support_mean": "cited_sentences",
    "abstention_rate": "uncovered_turns",
    "false_abstention_rate": "covered_turns",
    "approach_accuracy": "judged_turns",
    "approach_accuracy_on_change": "change_turns",
    "source_cited": "source_cases",
    "lead_answer_rate": "knowledge_questions",
    "quote_relevance": "quotes",
}


def denominators(results: dict[str, Any]) -> dict[str, int]:
    """How many cases each gated rate is a share of (the gate lets one of them flip)."""
    out: dict[str, int] = {}
    for name, m in results["suites"].items():
        if m["suite"] in {"retrieval", "decisions"}:
            counts = {"facts_accuracy": m.get("facts_n"), "reading_accuracy": m.get("reading_fields")}
            for key in SUMMARY_KEYS[m["suite"]]:
                if key != "n" and key in m:
                    out[f"{name}.{key}"] = int(counts.get(key) or m["n"])
        elif m["suite"] == "answers":
            for key, count in ANSWER_DENOMINATORS.items():
                if isinstance(m.get(count), int):
                    out[f"{name}.{key}"] = m[count]
    return out


def run_suites(settings: Any, log: Callable[[str], None] = _log) -> dict[str, Any]:
    """Run every suite with ``settings`` (already pointed at the store to use)."""
    from advisor.search.knowledge_base import KnowledgeBase
    from advisor.service import Advisor
    from evals import answers, decisions, retrieval
    from evals.beir import code_version
    from evals.predictors import decision_metrics, decision_predictor, knowledge_texts

    started = time.perf_counter()
    kb = KnowledgeBase(settings)
    report = kb.ensure_ingested()
    log(
        f"ingested the shipped articles into {settings.data_dir} in "
        f"{time.perf_counter() - started:.1f}s"
        + (f" ({report.chunks_written} chunks)" if report else "")
    )
    advisor = Advisor(settings, knowledge=kb)
    suites: dict[str, dict[str, Any]] = {}
    search_ms: list[float] = []
    ask_ms: list[float] = []

    for name, file in RETRIEVAL_SETS:
        t = time.perf_counter()
        cases = retrieval.load_cases(DATASETS / file)

        def search(q: str, n: int) -> list[str]:
            s = time.perf_counter()
            texts = [p.text for p in kb.search(q, n).passages]
            search_ms.append((time.perf_counter() - s) * 1000.0)
            return texts

        m = retrieval.evaluate(cases, search, k=RETRIEVAL_K)
        if name in BLIND:  # totals only: nobody tunes towards the blind set's misses
            m = {k: v for k, v in m.items() if k not in {"misses", "per_case"}}
            m["hide_misses"] = True
        suites[name] = {"suite": "retrieval", **m}
        log(
            f"{name}: n={m['n']} hit@5 {m['hit@5']:.3f} mrr@10 {m['mrr@10']:.3f} "
            f"({time.perf_counter() - t:.1f}s)"
        )

    for name, file in DECISION_SETS:
        t = time.perf_counter()
        latencies: list[float] = []
        m = decisions.evaluate(
            decisions.load_cases(DATASETS / file), decision_predictor(advisor, latencies)
        )
        m = decision_metrics(m, latencies)
        ask_ms += latencies
        if name in BLIND:  # totals only, per label and per field included
            m = {k: v for k, v in m.items() if k not in {"misses", "per_case"}}
            m["hide_misses"] = True
        suites[name] = {"suite": "decisions", **m}
        log(
            f"{name}: n={m['n']} accuracy {m['accuracy']:.3f} macro-F1 {m['macro_f1']:.3f} "
            f"({time.perf_counter() - t:.1f}s)"
        )

    name, file = ANSWER_SET
    t = time.perf_counter()
    m = answers.evaluate(
        answers.load_cases(DATASETS / file), advisor.ask, documents=knowledge_texts(settings)
    )
    ask_ms += m["latencies_ms"]
    suites[name] = {"suite": "answers", **m}
    log(
        f"{name}: n={m['n']} citation validity {m['citation_validity']:.3f} support "
        f"{m['citation_support']:.3f} approach {m['approach_accuracy']:.3f} lead answer "
        f"{m['lead_answer_rate']:.3f} quote relevance {m['quote_relevance']:.3f} "
        f"({time.perf_counter() - t:.1f}s)"
    )

    stages = m.get("stage_ms_p50", {})  # median per ask stage, over the answers' replies
    return {
        "config": {k: str(getattr(settings, k)) for k in CONFIG_KEYS},
        "suites": suites,
        "latency": {"ask": ask_ms, "search": search_ms},
        "ask_stages_ms_p50": stages,
        "seconds": round(time.perf_counter() - started, 2),
        "code": code_version(),
    }


def _headline(summary: dict[str, Any]) -> str:
    keys = (
        "retrieval.hit@5",
        "retrieval.mrr@10",
        "retrieval_holdout_dev.hit@5",
        "retrieval_blind.hit@5",
        *(f"{name}.{metric}" for name in INDEPENDENT for metric in ("hit@1", "hit@3", "mrr@10")),
        "decisions.accuracy",
        "decisions.macro_f1",
        "decisions_holdout_dev.accuracy",
        *(f"{name}.{metric}" for name in ("decisions_fresh", "decisions_real", "decisions_real2",
                                           "decisions_real3")
          for metric in ("accuracy", "macro_f1", "facts_accuracy", "reading_accuracy")),
        "answers.citation_validity",
        "answers.citation_support",
        "answers.abstention_rate",
        "answers.false_abstention_rate",
        "answers.approach_accuracy",
        "answers.lead_answer_rate",
        "answers.quote_relevance",
        "latency.ask_ms_p50",
        "latency.ask_ms_p95",
        "latency.search_ms_p50",
    )
    width = max(len(k) for k in keys)
    return "\n".join(f"  {k:<{width}}  {summary[k]}" for k in keys if k in summary)


def run_all(
    settings: Any,
    *,
    out: Path,
    baseline: Path,
    update_baseline: bool = False,
    data_dir: Path | None = None,
) -> int:
    from evals.gate import compare, format_gate, load_summary, write_summary
    from evals.report import write_report

    with tempfile.TemporaryDirectory(prefix="advisor-eval-") as tmp:
        target = Path(data_dir) if data_dir else Path(tmp)
        if data_dir and target.exists() and any(target.iterdir()):
            raise ValueError(f"{target}: --data-dir must be a new or empty folder")
        results = run_suites(eval_settings(settings, target))
    summary = summarize(results)
    previous = load_summary(baseline)
    gate = compare(summary, previous) if previous is not None else None
    if gate is None:
        results["gate_note"] = (
            f"No baseline at {baseline}: run `advisor eval all --update-baseline`."
        )
    paths = write_report(results, summary, out, gate)

    print(f"eval all: {len(results['suites'])} suites in {results['seconds']:.1f}s")
    print(_headline(summary))
    print(f"wrote {', '.join(p.name for p in paths)} to {out}")
    if update_baseline:
        write_summary(summary, baseline)
        print(f"baseline updated: {baseline}")
        return 0
    if gate is None:
        print(f"note: no baseline at {baseline}; nothing to compare (run with --update-baseline)")
        return 0
    print(format_gate(gate))
    return 0 if gate.passed else 1
