"""Documents lost to kill -9: a real ``advisor ingest`` and a real ``advisor serve`` mid-replace.

    PYTHONPATH=. python benchmarks/bench_crash_safety.py [--rounds 10] [--docs 200]

1. Ingest: a folder of ``--docs`` documents (about four chunks each) is ingested, then every
   document is changed (every chunk id changes) and ``advisor ingest`` is run again and killed
   with SIGKILL at ``--rounds`` moments spread over its writing (from its first chunk write to
   the end of an unkilled run), each round on a fresh copy of the store.
2. Server: ``advisor serve`` takes six documents of about 30 chunks by PUT, then a client
   replaces them again and again until the server is killed, ``--rounds`` times at moments
   spread over 0.3-2.0 s into the burst.

After each kill a fresh reader counts every document the store serves whole in a version it may
legitimately hold (kept), serves none of (lost) or serves as a mixture or subset (partial).
It prints numbers and asserts nothing (the tests are ``tests/knowledge/test_crash_safety.py``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the suite's helpers, importable as pytest imports them
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from helpers.crash import (
    IngestScenario,
    PutBurst,
    Tally,
    ingest_timeline,
    judge,
    kill,
    kill_ingest_at,
    served,
)
from helpers.servers import AdvisorServer, advisor_env

from advisor.config import load_settings

KEY = "bench-key"


def fitted(root: Path) -> Path:
    """A data dir with the shipped articles ingested (the embedder fitted once)."""
    data = root / "fitted"
    code = (
        "from advisor.config import load_settings; from advisor.search.knowledge_base import "
        "KnowledgeBase; KnowledgeBase(load_settings()).ensure_ingested()"
    )
    subprocess.run([sys.executable, "-c", code], env=advisor_env(data), check=True, timeout=600)
    return data


def ingest_rounds(root: Path, base: Path, rounds: int, docs: int) -> Tally:
    scenario = IngestScenario(root / "ingest", base / "embedder", docs=docs)
    writing = ingest_timeline(scenario.fresh_store(), scenario.folder)
    print(f"ingest: {docs} documents, {sum(map(len, scenario.v2.values()))} new chunks; an "
          f"unkilled re-ingest writes for {writing:.2f} s after its first write", flush=True)
    total = Tally()
    for r in range(rounds):
        fraction = r / max(1, rounds - 1)
        data = scenario.fresh_store()
        killed = kill_ingest_at(data, scenario.folder, fraction * writing)
        tally = judge(served(data), scenario.allowed())
        total.add(tally)
        print(f"  round {r + 1:2d}: killed at {fraction:4.0%} of the write "
              f"({'killed' if killed else 'had finished'}): {tally}", flush=True)
    return total


def server_rounds(root: Path, base: Path, rounds: int) -> Tally:
    settings = load_settings(data_dir=root / "unused")
    total = Tally()
    print("server: 6 documents of about 30 chunks, replaced by PUT until kill -9", flush=True)
    for r in range(rounds):
        delay = 0.3 + 1.7 * r / max(1, rounds - 1)
        data = root / f"serve-{r}"
        shutil.copytree(base, data)
        server = AdvisorServer(data, env={"ADVISOR_API_KEY": KEY}, log=Path(os.devnull))
        server.start(timeout=120)
        assert server.proc is not None
        burst = PutBurst(server.url, KEY, docs=6, sections=30)
        burst.seed()
        stop = threading.Event()
        writer = threading.Thread(target=burst.run, args=(stop,))
        writer.start()
        time.sleep(delay)
        kill(server.proc)
        stop.set()
        writer.join(60)
        server.stop()
        tally = judge(served(data), burst.allowed(settings))
        total.add(tally)
        acks = sum(burst.acked.values()) - len(burst.acked)
        print(f"  round {r + 1:2d}: killed {delay:.2f} s into the burst, after {acks} "
              f"acknowledged replaces: {tally}", flush=True)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--only", choices=["ingest", "server"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = fitted(root)
        results = {}
        if args.only in (None, "ingest"):
            results["ingest"] = ingest_rounds(root, base, args.rounds, args.docs)
        if args.only in (None, "server"):
            results["server"] = server_rounds(root, base, args.rounds)
        for name, tally in results.items():
            rounds_losing = "" if not (tally.lost or tally.partial) else (
                f" ({len(set(tally.lost))} distinct documents lost)")
            print(f"{name}: over {args.rounds} kill rounds: {tally}{rounds_losing}")


if __name__ == "__main__":
    main()
