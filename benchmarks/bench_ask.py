"""Ask benchmark: ``Advisor.ask`` latency in-process with the offline model, and where it goes.

    PYTHONPATH=. python benchmarks/bench_ask.py [--asks 300] [--warmup 20] [--profile]

A fresh data dir (temporary) with the shipped articles ingested (not timed here: see
bench_retrieval.py), then ``--asks`` single-message asks cycling through the situations of
the decision sets and the first turns of the answers set, after ``--warmup`` asks. Prints
p50/p95/mean of the whole call and of each stage the service reports in ``timings_ms``
(retrieve, extract, decide, compose) plus what is left (validation, building the reply).
Goal: p50 < 50 ms. ``--profile`` runs the timed loop under pyinstrument
(``pip install pyinstrument``). A benchmark prints numbers; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_P50_MS = 50.0
DATASETS = ROOT / "evals" / "datasets"


def messages() -> list[str]:
    out: list[str] = []
    for name in ("decisions.jsonl", "decisions_holdout_dev.jsonl"):
        out += [
            json.loads(line)["situation"]
            for line in (DATASETS / name).read_text().splitlines()
            if line.strip()
        ]
    out += [
        json.loads(line)["turns"][0]
        for line in (DATASETS / "answers.jsonl").read_text().splitlines()
        if line.strip()
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--asks", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    from advisor.config import SHIPPED_KNOWLEDGE, load_settings
    from advisor.schemas.reply import ChatMessage
    from advisor.search.knowledge_base import KnowledgeBase
    from advisor.service import Advisor
    from evals.metrics import percentile

    texts = messages()
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        settings = load_settings(
            data_dir=Path(tmp), knowledge_dir=SHIPPED_KNOWLEDGE, chroma_url=None, llm="offline"
        )
        kb = KnowledgeBase(settings)
        kb.ensure_ingested()
        advisor = Advisor(settings, knowledge=kb)
        for i in range(args.warmup):
            advisor.ask([ChatMessage(role="user", content=texts[i % len(texts)])])
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        totals: list[float] = []
        stages: dict[str, list[float]] = {}
        for i in range(args.asks):
            t0 = time.perf_counter()
            reply = advisor.ask([ChatMessage(role="user", content=texts[i % len(texts)])])
            total = (time.perf_counter() - t0) * 1000.0
            totals.append(total)
            for name, ms in reply.timings_ms.items():
                stages.setdefault(name, []).append(ms)
            stages.setdefault("other (validate, reply)", []).append(
                total - sum(reply.timings_ms.values())
            )
        if profiler is not None:
            profiler.stop()

    p50 = percentile(totals, 50)
    print(
        f"Advisor.ask over {len(totals)} asks after {args.warmup} warm-up "
        f"(offline model, in-process, embedded Chroma, {len(texts)} distinct messages):"
    )
    print(
        f"  {'total':<24} p50 {p50:7.2f} ms   p95 {percentile(totals, 95):7.2f} ms   "
        f"mean {statistics.fmean(totals):7.2f} ms"
    )
    for name, values in stages.items():
        print(
            f"  {name:<24} p50 {percentile(values, 50):7.2f} ms   p95 {percentile(values, 95):7.2f} ms   "
            f"mean {statistics.fmean(values):7.2f} ms"
        )
    print(f"  goal p50 < {GOAL_P50_MS:.0f} ms: {'met' if p50 < GOAL_P50_MS else 'MISSED'}")
    if profiler is not None:
        print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
