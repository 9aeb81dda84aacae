"""Server benchmark: a real ``advisor serve`` on 127.0.0.1 with the offline model.

    PYTHONPATH=. python benchmarks/bench_server.py [--requests 300] [--concurrency 16]
        [--seconds 30] [--starts 3] [--data-dir DIR]

1. Builds the index once in a data dir (temporary unless ``--data-dir``), so start-up is timed
   "with the index already built".
2. Time to ready: from launching ``python -m advisor.cli serve`` to the first 200 from /readyz,
   ``--starts`` times (goal < 10 s).
3. Single client: ``--requests`` sequential POST /v1/ask over one keep-alive connection, cycling
   through the situations of the decision sets (goal p50 < 50 ms).
4. Load: ``--concurrency`` clients, each on its own keep-alive connection, for ``--seconds``
   seconds; requests per second and errors (goal >= 60 req/s, issue 15, zero errors).

The server is launched by the test suite's ``tests/helpers/servers.py`` (one launcher for both).
The load generator is a minimal asyncio HTTP/1.1 client in this process (so the machine's two
cores are shared by server and client, as they would be on a small box). Loopback only; every
loop is bounded. A benchmark prints numbers; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the suite's helpers, importable as pytest imports them
from helpers.servers import AdvisorServer, advisor_env

DATASETS = ROOT / "evals" / "datasets"
GOALS = {"p50_ms": 50.0, "rps": 60.0, "ready_s": 10.0}  # issue 15


def situations() -> list[str]:
    out: list[str] = []
    for name in ("decisions.jsonl", "decisions_holdout_dev.jsonl"):
        path = DATASETS / name
        if path.exists():
            out += [
                json.loads(ln)["situation"] for ln in path.read_text().splitlines() if ln.strip()
            ]
    return out or ["Our wiki changes weekly and answers must cite it. RAG or fine-tuning?"]


def build_index(data_dir: Path) -> None:
    code = (
        "from advisor.config import load_settings; from advisor.search.knowledge_base import "
        "KnowledgeBase; KnowledgeBase(load_settings()).ensure_ingested()"
    )
    subprocess.run([sys.executable, "-c", code], env=advisor_env(data_dir), check=True, timeout=600)


def serve(data_dir: Path) -> AdvisorServer:
    """A ready ``advisor serve`` (output discarded); its ``seconds_to_ready`` is the start-up."""
    server = AdvisorServer(data_dir, log=Path(os.devnull))
    try:
        return server.start(timeout=120, poll=0.05)
    except pytest.fail.Exception as exc:  # the helper fails a test; here it ends the run
        server.stop(timeout=15)
        raise SystemExit(str(exc).strip()) from None


class Connection:
    """One keep-alive HTTP/1.1 connection: as little client overhead as possible."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        code = int(lines[0].split()[1])
        length = next(
            int(ln.split(":", 1)[1]) for ln in lines if ln.lower().startswith("content-length:")
        )
        await self.reader.readexactly(length)
        if any(ln.lower() == "connection: close" for ln in lines):
            self.writer.close()
            self.writer = None
        return code

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def bodies() -> list[bytes]:
    return [
        json.dumps({"messages": [{"role": "user", "content": s}]}).encode() for s in situations()
    ]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def single_client(port: int, n: int, warmup: int) -> tuple[list[float], int]:
    conn, payloads, errors, times = Connection(port), bodies(), 0, []
    for i in range(warmup + n):
        t = time.perf_counter()
        code = await conn.post("/v1/ask", payloads[i % len(payloads)])
        if i >= warmup:
            times.append((time.perf_counter() - t) * 1000)
            errors += code != 200
    conn.close()
    return times, errors


async def load(port: int, clients: int, seconds: float) -> tuple[int, int, list[float], float]:
    payloads = bodies()
    done = errors = 0
    times: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(k: int) -> None:
        nonlocal done, errors
        conn, i = Connection(port), k
        try:
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                try:
                    code = await conn.post("/v1/ask", payloads[i % len(payloads)])
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    code, conn = 0, Connection(port)
                times.append((time.perf_counter() - t) * 1000)
                done += 1
                errors += code != 200
                i += clients
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    return done, errors, times, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    tmp = None
    if args.data_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
        args.data_dir = tmp / "data"
    try:
        t = time.perf_counter()
        build_index(args.data_dir)
        print(f"index ready in {args.data_dir} ({time.perf_counter() - t:.1f} s, not timed below)")
        starts = []
        for _ in range(args.starts):
            server = serve(args.data_dir)
            assert server.seconds_to_ready is not None
            starts.append(server.seconds_to_ready)
            server.stop(timeout=15)
        print(
            f"time to ready: min {min(starts):.2f} s, median {statistics.median(starts):.2f} s "
            f"over {len(starts)} starts (goal < {GOALS['ready_s']:.0f} s)"
        )

        server = serve(args.data_dir)
        try:
            times, errors = asyncio.run(single_client(server.port, args.requests, args.warmup))
            print(
                f"single client, {len(times)} POST /v1/ask: p50 {pct(times, 0.5):.1f} ms, "
                f"p95 {pct(times, 0.95):.1f} ms, mean {statistics.fmean(times):.1f} ms, "
                f"errors {errors} (goal p50 < {GOALS['p50_ms']:.0f} ms)"
            )
            done, errors, times, elapsed = asyncio.run(
                load(server.port, args.concurrency, args.seconds)
            )
            print(
                f"{args.concurrency} clients for {elapsed:.1f} s: {done} requests, "
                f"{done / elapsed:.1f} req/s, errors {errors}, latency p50 {pct(times, 0.5):.1f} ms "
                f"p95 {pct(times, 0.95):.1f} ms (goal >= {GOALS['rps']:.0f} req/s, 0 errors)"
            )
        finally:
            server.stop(timeout=15)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
