"""``advisor eval …``: argument parsing and dispatch to the suites.

With ``--json`` the last line printed is one JSON object of the metrics (DESIGN.md §3).
Human-readable reports go to stdout before it; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor.config import Settings

DATASETS = Path(__file__).resolve().parent / "datasets"


def add_eval_parser(sub: Any, handler: Callable[..., int]) -> None:
    p = sub.add_parser("eval", help="run an evaluation suite offline")
    suites = p.add_subparsers(dest="suite", required=True, metavar="SUITE")

    s = suites.add_parser("retrieval", help="hit@k, MRR@10 and evidence recall on a JSONL set")
    s.add_argument("--dataset", type=Path, default=DATASETS / "retrieval.jsonl")
    s.add_argument("--k", type=int, default=5)
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=handler)


def _emit(metrics: dict[str, Any], report: str, as_json: bool) -> None:
    if as_json:
        print(json.dumps({k: v for k, v in metrics.items() if not isinstance(v, (list, dict))}))
    else:
        print(report)


def run_retrieval(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.knowledge_base import KnowledgeBase
    from evals.retrieval import evaluate, format_report, load_cases

    if args.k < 1:
        raise ValueError("--k must be at least 1")
    cases = load_cases(args.dataset)
    kb = KnowledgeBase(settings)
    kb.ensure_ingested()
    metrics = evaluate(cases, lambda q, n: [p.text for p in kb.search(q, n).passages], k=args.k)
    _emit(metrics, format_report(metrics), args.json)
    return 0


SUITES: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "retrieval": run_retrieval,
}


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.retrieval import DatasetError

    try:
        return SUITES[args.suite](args, settings)
    except (DatasetError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
