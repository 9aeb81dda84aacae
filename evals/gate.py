"""The regression gate: compare a run's summary with the committed baseline.

A summary is a flat JSON object ``{"suite.metric": number}`` (``evals/results/baseline/
summary.json`` is the committed one). Each metric is judged by the rule its name matches:

=====================  ==========================================================  ===========
rule                   metrics                                                     fails when
=====================  ==========================================================  ===========
quality (higher)       hit@k, mrr@k, evidence_recall@k, accuracy, macro_f1,         current < baseline - tol
                       citation_validity/verbatim/support(_mean), abstention_rate,
                       approach_accuracy(_on_change), source_cited, lead_answer_rate,
                       quote_relevance, facts_accuracy, reading_accuracy,
                       ndcg@k, recall@k
error rate (lower)     false_abstention_rate                                        current > baseline + tol
error count (lower)    invalid_citations_removed, uncovered_citations               current > baseline
latency (lower)        ``*_ms_p50`` (median latency)                                current > 5 x baseline and
                                                                                   current > baseline + 25 ms
floor                  answers.citation_validity, answers.citation_verbatim         current < 1.0 (always)
=====================  ==========================================================  ===========

``tol`` is 0.02, or one case's worth (1/n for a rate over n cases) when that is larger: one
case may flip in a small set, two may not. The summary's ``_denominators`` gives n for each
rate (the number of questions, decisions, covered turns, cited sentences, ...). On the large
sets 0.02 rules (283 decisions: about 5 cases); on the 20-question holdout one question (0.05)
is allowed. Everything else (case counts, per-label precision/recall, p95 latency, ...) is
shown but not gated:
per-label figures move by 2-3 points when a single case flips between two labels, which is
a trade-off for the person tuning to judge, not a regression by itself. The 0.02 tolerance
and the one-case allowance absorb a single flip (the offline pipeline is deterministic, so
any change is a real change of behaviour, but a single flip is usually a trade-off). Latency is gated only against gross slow-downs (an accidental quadratic loop, a model
loaded per request), on the median only: on a shared 2-core machine we measured the same run's
ask p50 between 15 and 57 ms and its p95 between 40 and 220 ms, depending on what else ran. A metric in the
baseline that is missing from the run fails (a suite stopped running); a new one is
reported as new. When a dataset's size ``n`` changed, the message says so: re-baseline with
``advisor eval all --update-baseline`` when the change is intended.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "FLOORS",
    "LATENCY_FACTOR",
    "LATENCY_FLOOR_MS",
    "QUALITY_TOLERANCE",
    "GateResult",
    "GateRow",
    "compare",
    "format_gate",
    "load_summary",
    "rule_for",
    "tolerance",
    "write_summary",
]

QUALITY_TOLERANCE = 0.02
RATE_TOLERANCE = 0.02
COUNT_TOLERANCE = 0
LATENCY_FACTOR = 5.0
LATENCY_FLOOR_MS = 25.0
FLOORS: dict[str, float] = {"answers.citation_validity": 1.0, "answers.citation_verbatim": 1.0}

_HIGHER = re.compile(
    r"^(hit@\d+|mrr@\d+|evidence_recall@\d+|accuracy|macro_f1|citation_validity|"
    r"citation_verbatim|citation_support|citation_support_mean|abstention_rate|"
    r"approach_accuracy|approach_accuracy_on_change|source_cited|lead_answer_rate|"
    r"quote_relevance|facts_accuracy|reading_accuracy|ndcg@\d+|recall@\d+)$"
)
_RATE_LOWER = re.compile(r"^(false_abstention_rate)$")
_COUNT_LOWER = re.compile(r"^(invalid_citations_removed|uncovered_citations)$")
_LATENCY = re.compile(r"_ms_p50$")


def rule_for(metric: str) -> str:
    """'higher', 'rate', 'count', 'latency' or 'info' for a ``suite.metric`` name."""
    leaf = metric.rsplit(".", 1)[-1]
    if _LATENCY.search(leaf):
        return "latency"
    if _HIGHER.match(leaf):
        return "higher"
    if _RATE_LOWER.match(leaf):
        return "rate"
    if _COUNT_LOWER.match(leaf):
        return "count"
    return "info"


@dataclass
class GateRow:
    metric: str
    rule: str
    baseline: float | None
    current: float | None
    status: str  # ok | better | worse | new | missing | info | floor
    note: str = ""

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


@dataclass
class GateResult:
    rows: list[GateRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[GateRow]:
        return [r for r in self.rows if r.status in {"worse", "missing", "floor"}]

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "tolerances": {
                "quality_abs": QUALITY_TOLERANCE,
                "rate_abs": RATE_TOLERANCE,
                "count_abs": COUNT_TOLERANCE,
                "latency_factor": LATENCY_FACTOR,
                "latency_floor_ms": LATENCY_FLOOR_MS,
                "floors": FLOORS,
            },
            "failures": [r.metric for r in self.failures],
            "notes": self.notes,
            "rows": [
                {
                    "metric": r.metric,
                    "rule": r.rule,
                    "baseline": r.baseline,
                    "current": r.current,
                    "delta": r.delta,
                    "status": r.status,
                    "note": r.note,
                }
                for r in self.rows
            ],
        }


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if math.isnan(value) else float(value)


def tolerance(rule: str, n: int | None) -> float:
    """The absolute tolerance of a quality or rate metric over ``n`` cases."""
    base = QUALITY_TOLERANCE if rule == "higher" else RATE_TOLERANCE
    return max(base, 1.0 / n) if n else base


def _judge(rule: str, base: float, cur: float, n: int | None = None) -> tuple[str, str]:
    eps = 1.5e-4  # summaries are rounded to 4 decimals: a difference is off by up to 1e-4
    if rule == "higher":
        tol = tolerance(rule, n)
        if cur < base - tol - eps:
            return "worse", f"fell by {base - cur:.3f} (tolerance {tol:.3f})"
        return ("better", "") if cur > base + 1e-9 else ("ok", "")
    if rule == "rate":
        tol = tolerance(rule, n)
        if cur > base + tol + eps:
            return "worse", f"rose by {cur - base:.3f} (tolerance {tol:.3f})"
        return ("better", "") if cur < base - 1e-9 else ("ok", "")
    if rule == "count":
        if cur > base + COUNT_TOLERANCE + eps:
            return "worse", f"rose from {base:g} to {cur:g}"
        return ("better", "") if cur < base - eps else ("ok", "")
    if rule == "latency":
        if cur > base * LATENCY_FACTOR and cur > base + LATENCY_FLOOR_MS:
            return "worse", f"{cur / base if base else float('inf'):.1f}x the baseline"
        return ("better", "") if cur < base - eps else ("ok", "")
    return "info", ""


def compare(current: Mapping[str, Any], baseline: Mapping[str, Any]) -> GateResult:
    """Judge every metric of ``current`` against ``baseline`` (both flat summaries)."""
    result = GateResult()
    names = list(dict.fromkeys([*baseline, *current]))
    for name in names:
        if name.startswith("_"):  # metadata such as _config
            continue
        rule = rule_for(name)
        base, cur = _number(baseline.get(name)), _number(current.get(name))
        if name in FLOORS and cur is not None and cur < FLOORS[name]:
            result.rows.append(
                GateRow(name, rule, base, cur, "floor", f"must be at least {FLOORS[name]}")
            )
            continue
        if name not in current or (cur is None and base is not None and rule != "info"):
            if rule != "info":
                result.rows.append(GateRow(name, rule, base, None, "missing", "not in this run"))
            continue
        if name not in baseline or base is None:
            result.rows.append(GateRow(name, rule, None, cur, "new" if rule != "info" else "info"))
            continue
        if cur is None:
            continue
        n = (
            current.get("_denominators", {}).get(name)
            if isinstance(current.get("_denominators"), dict)
            else None
        )
        status, note = _judge(rule, base, cur, n if isinstance(n, int) else None)
        result.rows.append(GateRow(name, rule, base, cur, status, note))
    for name in names:
        if (
            name.endswith(".n")
            and name in baseline
            and name in current
            and baseline[name] != current[name]
        ):
            result.notes.append(
                f"{name} changed from {baseline[name]} to {current[name]}: the dataset changed; "
                "if intended, re-baseline with `advisor eval all --update-baseline`"
            )
    base_cfg, cur_cfg = baseline.get("_config"), current.get("_config")
    if isinstance(base_cfg, dict) and isinstance(cur_cfg, dict):
        diff = sorted(k for k in set(base_cfg) | set(cur_cfg) if base_cfg.get(k) != cur_cfg.get(k))
        if diff:
            result.notes.append(
                "configuration differs from the baseline's: "
                + ", ".join(f"{k} {base_cfg.get(k)!r} -> {cur_cfg.get(k)!r}" for k in diff)
            )
    return result


def load_summary(path: str | Path) -> dict[str, Any] | None:
    path = Path(path)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a summary must be a JSON object")  # noqa: TRY004 - bad file
    return data


def write_summary(summary: Mapping[str, Any], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(summary), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.4g}" if abs(value) >= 10 else f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def format_gate(result: GateResult, *, markdown: bool = False, all_rows: bool = False) -> str:
    """The gated rows (or every row) as a table, then the verdict and notes."""
    rows = [r for r in result.rows if all_rows or r.rule != "info"]
    lines: list[str] = []
    if markdown:
        lines += [
            "| metric | rule | baseline | current | Δ | status |",
            "|---|---|---|---|---|---|",
        ]
        for r in rows:
            status = r.status + (f": {r.note}" if r.note else "")
            lines.append(
                f"| {r.metric} | {r.rule} | {_fmt(r.baseline)} | {_fmt(r.current)} | "
                f"{_fmt(r.delta)} | {status} |"
            )
    else:
        width = max((len(r.metric) for r in rows), default=10)
        for r in rows:
            if r.status in {"ok", "info"} and not all_rows:
                continue
            lines.append(
                f"  {r.metric:<{width}}  {_fmt(r.baseline):>9} -> {_fmt(r.current):<9} "
                f"{r.status}{': ' + r.note if r.note else ''}"
            )
    verdict = "PASSED" if result.passed else f"FAILED ({len(result.failures)} metric(s))"
    lines.append(("**gate: " + verdict + "**") if markdown else f"gate: {verdict}")
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)
