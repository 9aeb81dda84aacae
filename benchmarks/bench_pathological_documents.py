"""Pathological documents through the real ingest path: chunks, seconds, and what they cost later.

    PYTHONPATH=. python benchmarks/bench_pathological_documents.py [--lines 99000]

The documents an adversarial client can PUT under both limits (ADVISOR_MAX_BODY_BYTES 256 KB,
ADVISOR_MAX_DOCUMENT_CHARS 200,000):

* ``headings``: ``"#\\n" * 99000`` (198 KB of heading-only lines);
* ``token``: one 65,000-character word (no white space to cut at);
* ``prose``: 198 KB of ordinary paragraphs, the yardstick (time proportional to size).

Each is written with ``KnowledgeBase.put_document`` (what ``PUT /v1/documents/{id}`` calls) into
a store that already holds the shipped articles; then the benchmark times listing the documents,
the first search (the lexical index rebuild) and the delete, and prints the process's RSS growth.
It prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from advisor.config import load_settings
from advisor.knowledge.documents import document_from_text
from advisor.search.knowledge_base import KnowledgeBase


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def documents(lines: int) -> dict[str, str]:
    para = (
        "Retrieval keeps answers current when the documents change every week, and the team "
        "can cite the passage each answer rests on. "
    )
    prose = ""
    while len(prose) < 2 * lines:
        prose += para * 4 + "\n\n"
    return {"headings": "#\n" * lines, "token": "x" * 65_000, "prose": prose[: 2 * lines]}


def run(kb: KnowledgeBase, name: str, text: str) -> None:
    doc = document_from_text(text, name=name, suffix=".md", source="api", origin="api",
                             doc_id=f"bench-{name}")
    rss0 = rss_mb()
    t = time.perf_counter()
    report = kb.put_document(doc)
    put_s = time.perf_counter() - t
    t = time.perf_counter()
    info = next(d for d in kb.documents() if d.id == doc.id)
    list_s = time.perf_counter() - t
    t = time.perf_counter()
    kb.search("when should we use retrieval", 5)
    search_s = time.perf_counter() - t
    longest = max((len(s.chunk.text) for s in kb.store.all_chunks() if s.chunk.doc_id == doc.id),
                  default=0)
    t = time.perf_counter()
    kb.delete_document(doc.id)
    delete_s = time.perf_counter() - t
    print(
        f"{name:9s} {len(text):>8,} chars: {info.chunks:>7,} chunks (longest {longest:,} chars, "
        f"{report.chunks_written:,} written); PUT {put_s:6.2f} s, list {list_s:5.2f} s, "
        f"first search {search_s:5.2f} s, DELETE {delete_s:5.2f} s; RSS {rss0:.0f} -> "
        f"{rss_mb():.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=99_000, help="heading lines (2 chars each)")
    parser.add_argument("--only", choices=["headings", "token", "prose"], action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(load_settings(data_dir=Path(tmp) / "data"))
        t = time.perf_counter()
        kb.ensure_ingested()
        kb.search("warm up", 5)
        print(f"store with the shipped articles ready in {time.perf_counter() - t:.1f} s; "
              f"chunk bound {kb.settings.chunk_max_chars} chars", flush=True)
        for name, text in documents(args.lines).items():
            if not args.only or name in args.only:
                run(kb, name, text)


if __name__ == "__main__":
    main()
