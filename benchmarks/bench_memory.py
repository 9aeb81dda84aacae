"""Memory of a real ``advisor serve`` over many asks with varied text: does RSS keep growing?

    PYTHONPATH=. python benchmarks/bench_memory.py [--asks 3000] [--every 500]

Builds the index in a temporary data dir, starts ``advisor serve`` (the test suite's launcher),
warms it with 200 asks, then sends ``--asks`` sequential ``POST /v1/ask`` whose text differs every
time (a situation from the decision sets, a ticket number and a few words drawn from a fixed
seed), reading the server's VmRSS from /proc every ``--every`` asks. It prints the RSS curve and
the growth per ask over the second half (a leak grows linearly; caches level off). It prints
numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_server import build_index, serve, situations

WORDS = [
    "invoice", "catalogue", "wiki", "ticket", "refund", "policy", "compliance", "latency",
    "schema", "audit", "region", "warehouse", "claim", "contract", "onboarding", "churn",
    "forecast", "pricing", "roster", "shipment", "dosage",
]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def varied(i: int, pool: list[str], rng: random.Random) -> str:
    extra = " ".join(rng.choice(WORDS) for _ in range(6))
    return f"{pool[i % len(pool)]} Ticket {100000 + i}: {extra}."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asks", type=int, default=3000)
    parser.add_argument("--every", type=int, default=500)
    args = parser.parse_args()
    pool, rng = situations(), random.Random(17)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        build_index(data)
        server = serve(data)
        try:
            assert server.proc is not None
            pid = server.proc.pid
            with httpx.Client(base_url=server.url, timeout=30) as client:
                for i in range(200):  # warm-up: imports, caches of the shipped corpus
                    client.post("/v1/ask", json={"messages": [
                        {"role": "user", "content": pool[i % len(pool)]}]})
                base = rss_kb(pid)
                curve = [(0, base)]
                errors = 0
                started = time.perf_counter()
                for i in range(1, args.asks + 1):
                    r = client.post("/v1/ask", json={"messages": [
                        {"role": "user", "content": varied(i, pool, rng)}]})
                    errors += r.status_code != 200
                    if i % args.every == 0:
                        curve.append((i, rss_kb(pid)))
                seconds = time.perf_counter() - started
            print(f"{args.asks} asks in {seconds:.1f} s, {errors} errors; RSS after warm-up "
                  f"{base / 1024:.0f} MB")
            for n, kb in curve:
                print(f"  after {n:>5} asks: {kb / 1024:7.1f} MB (+{(kb - base) / 1024:.1f})")
            half = [p for p in curve if p[0] >= args.asks // 2]
            if len(half) >= 2:
                (n0, r0), (n1, r1) = half[0], half[-1]
                print(f"growth over the second half: {(r1 - r0) / max(1, n1 - n0):.2f} KB per ask")
            print(f"total growth: {(curve[-1][1] - base) / max(1, args.asks):.2f} KB per ask")
        finally:
            server.stop(timeout=15)


if __name__ == "__main__":
    main()
