"""The report of ``advisor eval all``: report.md (tables), report.json (every metric) and plots.

Plots (PNG, matplotlib's non-interactive Agg backend, so no display is needed):

* ``confusion.png``: the decision confusion matrix of each decision set (rows expected,
  columns predicted), counts in the cells;
* ``hit_at_k.png``: hit@k for k = 1..10 on each retrieval set;
* ``latency.png``: the distribution of ``Advisor.ask`` latency over every reply of the run
  (decisions and answers), with p50 and p95 marked, and search latency beside it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["PNG_SIGNATURE", "plot_confusion", "plot_hit_curves", "plot_latency", "write_report"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SHORT = {
    "prompting": "prompt",
    "rag": "rag",
    "fine_tuning": "fine-tune",
    "hybrid": "hybrid",
    "tool_calling": "tool",
    "invalid": "invalid",
}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # before pyplot: no display, no GUI toolkit
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path) -> Path:
    # No timestamps in the PNG: identical runs give identical files.
    fig.savefig(path, dpi=110, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(fig)
    return path


def plot_confusion(decisions: Mapping[str, Mapping[str, Any]], path: Path) -> Path:
    """One confusion matrix per decision set, side by side."""
    import numpy as np

    plt = _pyplot()
    names = list(decisions)
    fig, axes = plt.subplots(1, len(names), figsize=(5.6 * len(names), 4.8), squeeze=False)
    for ax, name in zip(axes[0], names):
        m = decisions[name]
        conf = m["confusion"]
        matrix = np.asarray(conf["matrix"], dtype=float)
        columns = list(conf["columns"])
        if "invalid" in columns and not matrix[:, columns.index("invalid")].any():
            keep = [i for i, c in enumerate(columns) if c != "invalid"]
            matrix, columns = matrix[:, keep], [columns[i] for i in keep]
        shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                if matrix[i, j]:
                    ax.text(
                        j,
                        i,
                        f"{int(matrix[i, j])}",
                        ha="center",
                        va="center",
                        color="white" if shares[i, j] > 0.6 else "black",
                        fontsize=10,
                    )
        ax.set_xticks(range(len(columns)), [SHORT.get(c, c) for c in columns], rotation=30)
        ax.set_yticks(range(len(conf["labels"])), [SHORT.get(c, c) for c in conf["labels"]])
        ax.set_xlabel("predicted")
        ax.set_ylabel("expected")
        ax.set_title(
            f"{name}: accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f} (n={m['n']})",
            fontsize=10,
        )
    fig.suptitle(
        "Decision confusion matrices (colour = share of the expected label's cases)", fontsize=11
    )
    return _save(fig, path)


def plot_hit_curves(retrieval: Mapping[str, Mapping[str, Any]], path: Path) -> Path:
    """hit@k against k for every retrieval set."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for name, m in retrieval.items():
        curve = sorted(((int(k), float(v)) for k, v in m["hit_curve"].items()))[:10]
        ax.plot(
            [k for k, _ in curve],
            [v for _, v in curve],
            marker="o",
            label=f"{name} (n={m['n']}, MRR@10 {m['mrr@10']:.3f})",
        )
    ax.set_xlabel("k (passages retrieved)")
    ax.set_ylabel("hit@k (share of questions with a relevant passage in the top k)")
    ax.set_xticks(range(1, 11))
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Retrieval: hit@k for k = 1..10")
    return _save(fig, path)


def plot_latency(ask_ms: Sequence[float], search_ms: Sequence[float], path: Path) -> Path:
    """Histograms of ask latency (every reply) and search latency, p50/p95 marked."""
    import numpy as np

    plt = _pyplot()
    panels = [(a, t) for a, t in ((ask_ms, "Advisor.ask"), (search_ms, "search")) if len(a)]
    fig, axes = plt.subplots(
        1, max(len(panels), 1), figsize=(6.0 * max(len(panels), 1), 4.0), squeeze=False
    )
    for ax, (values, title) in zip(axes[0], panels):
        data = np.maximum(np.asarray(values, dtype=float), 0.01)
        p50, p95 = np.percentile(data, 50), np.percentile(data, 95)
        # log-spaced bins: latency has a long tail, and both the body and the tail matter
        lo, hi = data.min(), data.max()
        bins = (
            np.geomspace(lo, hi * 1.001, min(40, max(5, len(data) // 5))) if hi > lo * 1.01 else 5
        )
        ax.hist(data, bins=bins, color="#4c72b0", alpha=0.85)
        if hi > lo * 1.01:
            ax.set_xscale("log")
        ax.axvline(p50, color="black", linestyle="--", label=f"p50 {p50:.1f} ms")
        ax.axvline(p95, color="#c44e52", linestyle="--", label=f"p95 {p95:.1f} ms")
        ax.set_xlabel("milliseconds (log scale)")
        ax.set_ylabel("calls")
        ax.set_title(f"{title} latency ({len(data)} calls, in-process, offline model)", fontsize=10)
        ax.legend(fontsize=8)
    return _save(fig, path)


# ---------------------------------------------------------------------------- markdown


def format_value(value: Any, digits: int = 3, missing: str = "–") -> str:
    """A metric value for a report: floats to ``digits`` places, other values as they are."""
    if value is None:
        return missing
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(format_value(c) for c in row) + " |" for row in rows]
    return out


def _markdown(
    results: Mapping[str, Any],
    summary: Mapping[str, Any],
    gate: Any | None,
    images: Mapping[str, str],
) -> str:
    suites = results["suites"]
    lines = ["# Evaluation report", ""]
    cfg = results.get("config", {})
    if cfg:
        lines += ["Configuration: " + ", ".join(f"`{k}={v}`" for k, v in cfg.items()), ""]
    if gate is not None:
        from evals.gate import format_gate

        lines += [
            "## Regression gate (against the committed baseline)",
            "",
            format_gate(gate, markdown=True),
            "",
        ]
    elif results.get("gate_note"):
        lines += ["## Regression gate", "", results["gate_note"], ""]

    retrieval = {k: v for k, v in suites.items() if v.get("suite") == "retrieval"}
    if retrieval:
        lines += ["## Retrieval", ""]
        lines += _table(
            ["set", "n", "hit@1", "hit@3", "hit@5", "MRR@10", "evidence recall@5", "search p50 ms"],
            [
                [
                    name,
                    m["n"],
                    m["hit@1"],
                    m["hit@3"],
                    m["hit@5"],
                    m["mrr@10"],
                    m["evidence_recall@5"],
                    m["latency_ms_p50"],
                ]
                for name, m in retrieval.items()
            ],
        )
        if "hit_at_k" in images:
            lines += ["", f"![hit@k]({images['hit_at_k']})"]
        for name, m in retrieval.items():
            misses = m.get("misses") or []
            if misses and not m.get("hide_misses"):
                lines += [
                    "",
                    f"Misses of `{name}` (nothing relevant in the top {m['k']}): "
                    + ", ".join(x["id"] for x in misses),
                ]
        lines.append("")

    decisions = {k: v for k, v in suites.items() if v.get("suite") == "decisions"}
    if decisions:
        lines += ["## Decisions (whole Advisor pipeline, offline model)", ""]
        lines += _table(
            ["set", "n", "accuracy", "macro-F1", "ask p50 ms"],
            [
                [name, m["n"], m["accuracy"], m["macro_f1"], m.get("latency_ms_p50")]
                for name, m in decisions.items()
            ],
        )
        first = next(iter(decisions.values()))
        lines += ["", f"Per label (`{next(iter(decisions))}`):", ""]
        lines += _table(
            ["label", "precision", "recall", "F1", "support"],
            [
                [label, v["precision"], v["recall"], v["f1"], v["support"]]
                for label, v in first["per_label"].items()
            ],
        )
        if "confusion" in images:
            lines += ["", f"![confusion matrices]({images['confusion']})"]
        for name, m in decisions.items():
            misses = m.get("misses") or []
            if misses:
                lines += [
                    "",
                    f"Misses of `{name}` ({len(misses)}): "
                    + ", ".join(f"{x['id']} ({x['expected']}→{x['predicted']})" for x in misses),
                ]
        lines.append("")

    answers = suites.get("answers")
    if answers:
        a = answers
        lines += ["## Answers (conversations through Advisor.ask)", ""]
        lines += _table(
            ["metric", "value", "over"],
            [
                [
                    "citation validity (must be 1)",
                    a["citation_validity"],
                    f"{a['markers']} markers",
                ],
                ["citation verbatim", a["citation_verbatim"], "citations"],
                [
                    "citation support (≥ 50% of a cited sentence's content terms in its passages)",
                    a["citation_support"],
                    f"{a['cited_sentences']} cited sentences",
                ],
                [
                    "mean support",
                    a["citation_support_mean"],
                    f"{a['cited_sentences']} cited sentences",
                ],
                [
                    "abstention on uncovered questions",
                    a["abstention_rate"],
                    f"{a['uncovered_turns']} turns",
                ],
                [
                    "false abstention on covered questions",
                    a["false_abstention_rate"],
                    f"{a['covered_turns']} turns",
                ],
                ["markers in abstentions", a["uncovered_citations"], ""],
                [
                    "expected approach after each turn",
                    a["approach_accuracy"],
                    f"{a['judged_turns']} turns",
                ],
                ["… on turns where the advice should change", a["approach_accuracy_on_change"], ""],
                ["expected article cited", a["source_cited"], ""],
                [
                    "leads with the answer (an answering sentence in the first 500 characters)",
                    a.get("lead_answer_rate"),
                    f"{a.get('knowledge_questions', 0)} knowledge questions",
                ],
                [
                    "quotes that stand alone and bear on the question or the advice",
                    a.get("quote_relevance"),
                    f"{a.get('quotes', 0)} quotes",
                ],
                ["invalid citations removed by the service", a["invalid_citations_removed"], ""],
                [
                    "latency p50 / p95 ms",
                    f"{a['latency_ms_p50']:.1f} / {a['latency_ms_p95']:.1f}",
                    f"{a['turns']} replies",
                ],
            ],
        )
        failures = a.get("failures") or []
        if failures:
            lines += ["", f"Turns that broke an expectation ({len(failures)}):", ""]
            for f in failures:
                lines.append(f"- `{f['id']}` turn {f['turn']}: " + "; ".join(f["problems"]))
        lines.append("")

    lat = results.get("latency", {})
    if lat:
        lines += ["## Latency (in-process, offline model)", ""]
        lines += _table(
            ["call", "n", "p50 ms", "p95 ms"],
            [
                [
                    name,
                    len(values),
                    summary.get(f"latency.{name}_ms_p50"),
                    summary.get(f"latency.{name}_ms_p95"),
                ]
                for name, values in lat.items()
                if values
            ],
        )
        stages = results.get("ask_stages_ms_p50")
        if stages:
            lines += [
                "",
                "Median per stage of ask (ms): "
                + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()),
            ]
        if "latency" in images:
            lines += ["", f"![latency]({images['latency']})"]
        lines.append("")
    lines += [
        "## All gated metrics",
        "",
        "See `summary.json` (flat) and `report.json` (everything).",
        "",
    ]
    return "\n".join(lines)


def write_report(
    results: Mapping[str, Any], summary: Mapping[str, Any], out: str | Path, gate: Any | None = None
) -> list[Path]:
    """Write report.md, report.json, summary.json and the plots into ``out``; return the paths.

    ``results``: ``{"config": {...}, "suites": {name: metrics with "suite" kind}, "latency":
    {"ask": [ms...], "search": [ms...]}}``; ``summary``: the flat gated figures.
    """
    from evals.gate import write_summary

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    suites = results["suites"]
    written: list[Path] = []
    images: dict[str, str] = {}
    decisions = {k: v for k, v in suites.items() if v.get("suite") == "decisions"}
    if decisions:
        written.append(plot_confusion(decisions, out / "confusion.png"))
        images["confusion"] = "confusion.png"
    retrieval = {k: v for k, v in suites.items() if v.get("suite") == "retrieval"}
    if retrieval:
        written.append(plot_hit_curves(retrieval, out / "hit_at_k.png"))
        images["hit_at_k"] = "hit_at_k.png"
    lat = results.get("latency", {})
    if lat.get("ask") or lat.get("search"):
        written.append(plot_latency(lat.get("ask", []), lat.get("search", []), out / "latency.png"))
        images["latency"] = "latency.png"

    md = out / "report.md"
    md.write_text(_markdown(results, summary, gate, images), encoding="utf-8")
    doc = {
        **results,
        "summary": dict(summary),
        "gate": gate.to_dict() if gate is not None else None,
    }
    js = out / "report.json"
    js.write_text(json.dumps(doc, indent=2, sort_keys=False, default=str) + "\n", encoding="utf-8")
    written += [md, js, write_summary(summary, out / "summary.json")]
    return written
