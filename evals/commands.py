"""``advisor eval …``: argument parsing and dispatch to the suites.

    advisor eval retrieval --dataset FILE [--k 5] [--compare-bm25] [--json]
    advisor eval decisions --dataset FILE [--json]
    advisor eval answers   --dataset FILE [--json]
    advisor eval beir      --data DIR [--split test] [--json] [--data-dir DIR] [--out DIR]
    advisor eval all       [--out DIR] [--baseline FILE] [--update-baseline]

With ``--json`` the last line printed is one JSON object of the metrics (DESIGN.md §3).
Human-readable reports go to stdout before it; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from advisor.config import Settings
from evals.predictors import decision_metrics, decision_predictor, knowledge_texts, tallied_ask

EVALS = Path(__file__).resolve().parent
DATASETS = EVALS / "datasets"
RESULTS = EVALS / "results"


def add_eval_parser(sub: Any, handler: Callable[..., int]) -> None:
    p = sub.add_parser("eval", help="run an evaluation suite offline")
    suites = p.add_subparsers(dest="suite", required=True, metavar="SUITE")

    s = suites.add_parser("retrieval", help="hit@k, MRR@10 and evidence recall on a JSONL set")
    s.add_argument("--dataset", type=Path, default=DATASETS / "retrieval.jsonl")
    s.add_argument("--k", type=int, default=5)
    s.add_argument(
        "--compare-bm25",
        action="store_true",
        help="also score the targets' yardstick on the same set: plain BM25 over fixed "
        "1,000/200-character chunks (says how hard the set is)",
    )
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=handler)

    s = suites.add_parser("decisions", help="accuracy and macro-F1 of the recommended approach")
    s.add_argument("--dataset", type=Path, default=DATASETS / "decisions.jsonl")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=handler)

    s = suites.add_parser(
        "answers", help="citations, support, abstention and advice over whole conversations"
    )
    s.add_argument("--dataset", type=Path, default=DATASETS / "answers.jsonl")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=handler)

    s = suites.add_parser("beir", help="nDCG@10/Recall@100/MRR@10 on a BEIR dataset, vs plain BM25")
    s.add_argument(
        "--data", type=Path, required=True, help="BEIR folder (corpus.jsonl, queries.jsonl, qrels/)"
    )
    s.add_argument("--split", default="test")
    s.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="new or empty folder for the store (default: a temporary folder)",
    )
    s.add_argument(
        "--out", type=Path, default=None, help="also write results.json and report.md here"
    )
    s.add_argument("--k", type=int, default=100, help="chunks retrieved per query")
    s.add_argument(
        "--ablations",
        action="store_true",
        help="also score the hybrid's BM25 and dense halves on their own",
    )
    s.add_argument("--bm25-weight", type=float, default=None, help="experiment: RRF weight of BM25")
    s.add_argument(
        "--dense-weight", type=float, default=None, help="experiment: RRF weight of dense"
    )
    s.add_argument("--no-progress", action="store_true")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=handler)

    s = suites.add_parser("all", help="every offline suite: report, plots, baseline gate")
    s.add_argument("--out", type=Path, default=RESULTS / "latest")
    s.add_argument("--baseline", type=Path, default=RESULTS / "baseline" / "summary.json")
    s.add_argument(
        "--update-baseline",
        action="store_true",
        help="write this run's summary as the baseline (and do not gate)",
    )
    s.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="new or empty folder for the store (default: a temporary folder)",
    )
    s.set_defaults(handler=handler)


def _flat(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in metrics.items() if not isinstance(v, (list, dict))}


def _emit(metrics: dict[str, Any], report: str, as_json: bool) -> None:
    print(report)
    if as_json:
        print(json.dumps(_flat(metrics)))


def _advisor(settings: Settings) -> Any:
    from advisor.search.knowledge_base import KnowledgeBase
    from advisor.service import Advisor

    kb = KnowledgeBase(settings)
    kb.ensure_ingested()
    return Advisor(settings, knowledge=kb)


def run_retrieval(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.search.knowledge_base import KnowledgeBase
    from evals.retrieval import evaluate, format_report, load_cases

    if args.k < 1:
        raise ValueError("--k must be at least 1")
    cases = load_cases(args.dataset)
    kb = KnowledgeBase(settings)
    kb.ensure_ingested()
    metrics = evaluate(cases, lambda q, n: [p.text for p in kb.search(q, n).passages], k=args.k)
    report = format_report(metrics)
    if args.compare_bm25:
        from evals.reference_bm25 import ReferenceBM25, document_texts

        # the chunks the search just used, already in memory: no second read of the store
        reference = ReferenceBM25(document_texts(kb.retriever.lexical_index().chunks))
        base = evaluate(cases, reference.search, k=args.k)
        keys = ("hit@1", "hit@3", f"hit@{args.k}", "mrr@10")
        report += "\n" + format_comparison(metrics, base, keys, len(reference.chunks))
        metrics.update({f"bm25_reference_{key}": base[key] for key in dict.fromkeys(keys)})
    _emit(metrics, report, args.json)
    return 0


def format_comparison(
    ours: dict[str, Any], base: dict[str, Any], keys: Sequence[str], n_chunks: int
) -> str:
    lines = [f"Against the targets' yardstick (plain BM25, {n_chunks} fixed 1,000/200 chunks):"]
    for key in dict.fromkeys(keys):
        lines.append(
            f"  {key:8s} advisor {ours[key]:.3f}  plain BM25 {base[key]:.3f}  "
            f"({ours[key] - base[key]:+.3f})"
        )
    return "\n".join(lines)


def _show_progress(advisor: Any) -> bool:
    """Progress lines on a terminal, or whenever a real model makes each case take seconds."""
    return sys.stderr.isatty() or advisor.model_name != "offline"


def run_decisions(args: argparse.Namespace, settings: Settings) -> int:
    from evals.decisions import evaluate, format_report, load_cases
    from evals.provenance import Progress, SourceTally, format_tally

    cases = load_cases(args.dataset)
    latencies: list[float] = []
    advisor = _advisor(settings)
    tally = SourceTally()
    progress = Progress(len(cases), "decisions", show=_show_progress(advisor))
    metrics = evaluate(cases, decision_predictor(advisor, latencies, tally, progress))
    metrics = decision_metrics(metrics, latencies)
    metrics.update(tally.metrics())
    report = format_report(metrics)
    report += f"\n\nask latency p50 {metrics['latency_ms_p50']:.1f} ms, p95 {metrics['latency_ms_p95']:.1f} ms"
    report += f"\nmodel: {advisor.model_name}\n{format_tally(metrics)}"
    _emit(metrics, report, args.json)
    return 0


def run_answers(args: argparse.Namespace, settings: Settings) -> int:
    from evals.answers import evaluate, format_report, load_cases
    from evals.provenance import Progress, SourceTally, format_tally

    cases = load_cases(args.dataset)
    advisor = _advisor(settings)
    tally = SourceTally()
    progress = Progress(sum(len(c.turns) for c in cases), "answers (replies)",
                        show=_show_progress(advisor))
    metrics = evaluate(cases, tallied_ask(advisor, tally, progress),
                       documents=knowledge_texts(settings))
    metrics.update(tally.metrics())
    report = f"{format_report(metrics)}\nmodel: {advisor.model_name}\n{format_tally(metrics)}"
    _emit(metrics, report, args.json)
    return 0


def run_beir(args: argparse.Namespace, settings: Settings) -> int:
    from evals import beir

    if args.k < 1:
        raise ValueError("--k must be at least 1")
    show = not args.no_progress and sys.stderr.isatty()
    metrics = beir.evaluate(
        args.data,
        settings,
        split=args.split,
        store_dir=args.data_dir,
        k=args.k,
        show_progress=show,
        ablations=args.ablations,
        weights=(args.bm25_weight, args.dense_weight),
        log=lambda s: print(s, file=sys.stderr, flush=True),
    )
    if args.out:
        for path in beir.write_results(metrics, args.out):
            print(f"wrote {path}", file=sys.stderr)
    _emit(beir.headline(metrics), beir.format_report(metrics), args.json)
    return 0


def run_all(args: argparse.Namespace, settings: Settings) -> int:
    from evals.suite import run_all as run

    return run(
        settings,
        out=args.out,
        baseline=args.baseline,
        update_baseline=args.update_baseline,
        data_dir=args.data_dir,
    )


SUITES: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "retrieval": run_retrieval,
    "decisions": run_decisions,
    "answers": run_answers,
    "beir": run_beir,
    "all": run_all,
}


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return SUITES[args.suite](args, settings)
    except (FileNotFoundError, ValueError) as exc:  # every DatasetError/BeirError is a ValueError
        print(f"error: {exc}", file=sys.stderr)
        return 2
