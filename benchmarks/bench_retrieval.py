"""Retrieval benchmark: ingest of the shipped corpus from scratch, then in-process search latency.

    PYTHONPATH=. python benchmarks/bench_retrieval.py [--queries 200] [--warmup 20] [--k 5]
        [--profile]

1. Ingest: a fresh data dir (temporary), ``KnowledgeBase.ensure_ingested()``: load the
   articles, chunk them, fit the offline embedder on them, embed, write to the embedded Chroma
   store; then the first search builds the BM25 index. Wall and process-CPU time of each part
   (CPU is the figure to trust on a shared machine).
2. Search: ``KnowledgeBase.search`` (the real Chroma store and hybrid retriever) over the
   questions of the three retrieval sets, cycled to ``--queries`` calls after ``--warmup``
   calls; p50/p95/mean latency. Goal: p50 < 10 ms.

``--profile`` profiles the timed search loop with pyinstrument (``pip install pyinstrument``)
and prints where the time goes. A benchmark prints numbers; it asserts nothing.
"""

from __future__ import annotations

import argparse
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

GOAL_P50_MS = 10.0
SETS = ("retrieval.jsonl", "retrieval_holdout_dev.jsonl", "retrieval_blind.jsonl")


def _pct(values: list[float], p: float) -> float:
    from evals.metrics import percentile

    return percentile(values, p)


def questions() -> list[str]:
    from evals.retrieval import load_cases

    return [c.question for name in SETS for c in load_cases(ROOT / "evals" / "datasets" / name)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    t0, c0 = time.perf_counter(), time.process_time()
    from advisor.config import SHIPPED_KNOWLEDGE, load_settings
    from advisor.search.knowledge_base import KnowledgeBase

    t_import, c_import = time.perf_counter() - t0, time.process_time() - c0
    qs = questions()
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        settings = load_settings(
            data_dir=Path(tmp), knowledge_dir=SHIPPED_KNOWLEDGE, chroma_url=None
        )
        kb = KnowledgeBase(settings)
        t0, c0 = time.perf_counter(), time.process_time()
        report = kb.ensure_ingested()
        t_ingest, c_ingest = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        kb.retriever.lexical_index()
        t_index, c_index = time.perf_counter() - t0, time.process_time() - c0

        for i in range(args.warmup):
            kb.search(qs[i % len(qs)], args.k)
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        times: list[float] = []
        for i in range(args.queries):
            t0 = time.perf_counter()
            kb.search(qs[i % len(qs)], args.k)
            times.append((time.perf_counter() - t0) * 1000.0)
        if profiler is not None:
            profiler.stop()

    chunks = report.chunks_written if report else 0
    print(
        f"ingest of the shipped corpus from scratch ({chunks} chunks, fresh data dir, embedder fitted):"
    )
    print(f"  imports               wall {t_import:6.2f} s   cpu {c_import:6.2f} s")
    print(
        f"  ensure_ingested       wall {t_ingest:6.2f} s   cpu {c_ingest:6.2f} s"
        f"   (load + chunk + fit embedder + embed + Chroma)"
    )
    print(f"  BM25 index (1st use)  wall {t_index:6.2f} s   cpu {c_index:6.2f} s")
    p50, p95 = _pct(times, 50), _pct(times, 95)
    print(
        f"search latency over {len(times)} queries after {args.warmup} warm-up "
        f"(k={args.k}, in-process, embedded Chroma):"
    )
    print(
        f"  p50 {p50:.2f} ms   p95 {p95:.2f} ms   mean {statistics.fmean(times):.2f} ms   "
        f"max {max(times):.2f} ms"
    )
    print(f"  goal p50 < {GOAL_P50_MS:.0f} ms: {'met' if p50 < GOAL_P50_MS else 'MISSED'}")
    if profiler is not None:
        print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
