"""Reader benchmark: CPU and wall time per ``read_situation``, and tokens encoded per message.

    PYTHONPATH=. python benchmarks/bench_reader.py [--repeats 3] [--dataset FILE ...]

The messages are the ``situation`` (the first user turn) of every case of the decision sets:
``evals/datasets/decisions.jsonl``, ``decisions_fresh.jsonl``, ``decisions_real.jsonl`` and the
external dev set ``../shared/data/decisions-external/cases.jsonl`` when it is there (or the
``--dataset`` files given). The encoder and the heads are loaded and warmed first; each
repeat clears the reader's caches (situations and features), so every message is read from
scratch. Per repeat it prints mean / p50 / p95 of ``time.process_time()`` (the main figure
on a shared machine: what this process spent, not what other jobs took) and of wall time, in ms per message; then the texts
and tokens the encoder was given per message (special tokens included, after truncation), the
cost that the feature layout (``encoder.features``) sets. A benchmark prints numbers; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATASETS = [
    ROOT / "evals" / "datasets" / "decisions.jsonl",
    ROOT / "evals" / "datasets" / "decisions_fresh.jsonl",
    ROOT / "evals" / "datasets" / "decisions_real.jsonl",
    ROOT.parent / "shared" / "data" / "decisions-external" / "cases.jsonl",
]


def messages(paths: list[Path]) -> list[str]:
    out: list[str] = []
    for path in paths:
        if not path.is_file():
            print(f"(not found, left out: {path})")
            continue
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        out += [row["situation"] for row in rows]
        print(f"{len(rows):>4} messages from {path.name}")
    return out


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(name: str, values: Sequence[float]) -> str:
    return (
        f"{name:<8} mean {statistics.fmean(values):6.1f}  p50 {percentile(values, 0.5):6.1f}  "
        f"p95 {percentile(values, 0.95):6.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dataset", type=Path, action="append", help="instead of the four sets")
    args = parser.parse_args(argv)

    from advisor.extraction import encoder, reader

    texts = messages(args.dataset or DATASETS)
    model = encoder.load_encoder()
    reader.load_heads()
    given: list[list[str]] = []  # what the encoder was asked to encode, per call
    real_encode = model.encode

    def recording(batch: list[str]) -> Any:
        given.append(list(batch))
        return real_encode(batch)

    model.encode = recording  # type: ignore[method-assign,assignment]
    for text in texts[:20]:  # warm the session, the tokenizer and the patterns
        reader.read_situation(text)
    print(f"{len(texts)} messages, {args.repeats} repeats, layout: {encoder.FEATURES} features")

    for repeat in range(1, args.repeats + 1):
        reader.read_situation.cache_clear()
        reader.message_features.cache_clear()  # the encoder's features are cached too
        given.clear()
        cpu: list[float] = []
        wall: list[float] = []
        for text in texts:
            c0, w0 = time.process_time(), time.perf_counter()
            reader.read_situation(text)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        print(
            f"repeat {repeat}: {summary('cpu', cpu)} | {summary('wall', wall)}  "
            f"(cpu total {sum(cpu) / 1000:.2f} s)"
        )

    # After the timed loop, so tokenizing does not count: the last repeat's encoder inputs.
    tokens = [sum(len(e.ids) for e in model.tokenizer.encode_batch(batch)) for batch in given]
    count = [len(batch) for batch in given]
    print(
        f"encoded per message: texts mean {statistics.fmean(count):.2f}, "
        f"tokens mean {statistics.fmean(tokens):.1f} p50 {percentile(tokens, 0.5):.0f} "
        f"p95 {percentile(tokens, 0.95):.0f} (total {sum(tokens)} tokens, {len(given)} messages)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
