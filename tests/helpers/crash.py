"""Kill -9 a real ingest or a real ``advisor serve`` mid-replace and count what the store serves.

Shared by ``tests/knowledge/test_crash_safety.py`` (a few kill moments) and
``benchmarks/bench_crash_safety.py`` (ten rounds each). A document is *kept* when the store serves
exactly the chunks of one of its versions that may legitimately be there (the last acknowledged
one, or the one in flight), *lost* when the store serves none of its chunks, and *partial* when it
serves a mixture or a subset (a half-written document served as if complete).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from advisor.config import Settings, load_settings
from advisor.knowledge.documents import document_from_text, load_folder
from advisor.knowledge.ingest import stored_chunks
from advisor.schemas.retrieval import Document

WORDS = [
    "retrieval", "grounding", "latency", "budget", "schema", "audit", "catalogue", "policy",
    "invoice", "adapter", "tuning", "prompt", "context", "window", "citation", "passage",
    "corpus", "embedding", "index", "refresh", "ticket", "escalation", "tone", "format",
    "contract", "region", "compliance", "dataset", "label", "evaluation", "drift",
]
BAR = "embedding chunks"  # the ingest's progress bar: its first line marks the first write


def markdown(doc: int, version: int, sections: int) -> str:
    """A document of ``sections`` sections of about 900 characters; every sentence of one
    version differs from every other version's (so every chunk id changes on a replace)."""
    rng = random.Random(doc * 1000 + version)
    parts = [f"# Document {doc}\n"]
    for s in range(sections):
        parts.append(f"\n## Section {s}\n\n")
        sentences = []
        while sum(len(x) for x in sentences) < 900:
            words = " ".join(rng.choice(WORDS) for _ in range(12))
            sentences.append(f"Version {version} of note {doc}.{s}: {words}. ")
        parts.append("".join(sentences).strip() + "\n")
    return "".join(parts)


def write_corpus(folder: Path, docs: int, version: int, sections: int = 4) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(docs):
        (folder / f"note-{d:03d}.md").write_text(markdown(d, version, sections), encoding="utf-8")


def expected_ids(docs: Iterable[Document], settings: Settings) -> dict[str, frozenset[str]]:
    return {
        doc.id: frozenset(
            s.chunk.id
            for s in stored_chunks(doc, settings.chunk_max_chars, settings.chunk_overlap_chars)
        )
        for doc in docs
    }


def folder_ids(folder: Path, settings: Settings) -> dict[str, frozenset[str]]:
    return expected_ids(load_folder(folder).documents, settings)


def served(data_dir: Path) -> dict[str, frozenset[str]]:
    """Chunk ids per document as the store serves them to search, read by this process once
    every process that wrote ``data_dir`` has ended (one embedded client per path at a time)."""
    from advisor.search.knowledge_base import KnowledgeBase

    out: dict[str, set[str]] = {}
    for s in KnowledgeBase(load_settings(data_dir=data_dir)).store.all_chunks():
        out.setdefault(s.chunk.doc_id, set()).add(s.chunk.id)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass
class Tally:
    kept: int = 0
    lost: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.kept += other.kept
        self.lost += other.lost
        self.partial += other.partial

    def __str__(self) -> str:
        return f"{self.kept} kept, {len(self.lost)} lost, {len(self.partial)} partial"


def judge(
    store: Mapping[str, frozenset[str]], allowed: Mapping[str, list[frozenset[str]]]
) -> Tally:
    tally = Tally()
    for doc_id, versions in allowed.items():
        got = store.get(doc_id)
        if not got:
            tally.lost.append(doc_id)
        elif got in versions:
            tally.kept += 1
        else:
            tally.partial.append(doc_id)
    return tally


def kill(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL by PID; True when it was still running."""
    running = proc.poll() is None
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    return running


# ---- a real `advisor ingest` ---------------------------------------------------------------
def ingest_process(data_dir: Path, folder: Path) -> tuple[subprocess.Popen[bytes], threading.Event]:
    """``advisor ingest FOLDER`` with its progress bar on a pipe; the event is set when the bar
    first appears (the first chunk write is about to happen)."""
    from helpers.servers import advisor_env

    proc = subprocess.Popen(
        [sys.executable, "-m", "advisor.cli", "ingest", str(folder)],
        env=advisor_env(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    started = threading.Event()

    def watch() -> None:
        assert proc.stderr is not None
        seen = b""
        while chunk := proc.stderr.read1(4096):  # type: ignore[attr-defined]
            seen = (seen + chunk)[-4096:]
            if BAR.encode() in seen:
                started.set()
        started.set()  # ended without a bar: nothing to wait for

    threading.Thread(target=watch, daemon=True).start()
    return proc, started


def ingest_timeline(data_dir: Path, folder: Path) -> float:
    """Seconds from the first write to the end of an ingest that is not killed."""
    proc, started = ingest_process(data_dir, folder)
    assert started.wait(120), "the ingest never started writing"
    t = time.monotonic()
    assert proc.wait(120) == 0
    return time.monotonic() - t


def kill_ingest_at(data_dir: Path, folder: Path, delay: float) -> bool:
    """Run ``advisor ingest FOLDER`` and SIGKILL it ``delay`` s after its first write; True
    when it was killed (False: it had finished)."""
    proc, started = ingest_process(data_dir, folder)
    if not started.wait(120):
        kill(proc)
        raise AssertionError("the ingest never started writing")
    time.sleep(delay)
    return kill(proc)


@dataclass
class IngestScenario:
    """A store holding version 1 of ``docs`` documents of one folder, snapshotted; then the
    folder holds version 2 (every chunk changed), ready to be re-ingested and killed."""

    root: Path
    embedder: Path
    docs: int = 200
    sections: int = 4

    def __post_init__(self) -> None:
        self.folder = self.root / "corpus"
        self.snapshot = self.root / "snapshot"
        shutil.copytree(self.embedder, self.snapshot / "embedder")
        write_corpus(self.folder, self.docs, 1, self.sections)
        settings = load_settings(data_dir=self.snapshot)
        self.v1 = folder_ids(self.folder, settings)
        from helpers.servers import advisor_env

        subprocess.run(
            [sys.executable, "-m", "advisor.cli", "ingest", "--no-progress", str(self.folder)],
            env=advisor_env(self.snapshot), check=True, capture_output=True, timeout=300,
        )
        write_corpus(self.folder, self.docs, 2, self.sections)
        self.v2 = folder_ids(self.folder, settings)
        self.rounds = 0

    def fresh_store(self) -> Path:
        self.rounds += 1
        data = self.root / f"round-{self.rounds}"
        shutil.copytree(self.snapshot, data)
        return data

    def allowed(self) -> dict[str, list[frozenset[str]]]:
        return {d: [self.v1[d], self.v2[d]] for d in self.v1}


# ---- a real `advisor serve` ------------------------------------------------------------------
@dataclass
class PutBurst:
    """PUTs that replace ``docs`` documents again and again until the server dies; ``acked``
    is the last version of each the server acknowledged."""

    url: str
    key: str
    docs: int
    sections: int
    acked: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def put(self, client: httpx.Client, doc: int, version: int) -> bool:
        try:
            r = client.put(
                f"/v1/documents/burst-{doc:02d}",
                content=markdown(doc, version, self.sections).encode(),
                headers={"Authorization": f"Bearer {self.key}", "Content-Type": "text/markdown"},
            )
        except httpx.HTTPError:
            return False
        if r.status_code in (200, 201):
            self.acked[doc] = version
            return True
        self.errors.append(f"{r.status_code} {r.text[:200]}")
        return False

    def seed(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as client:
            for d in range(self.docs):
                assert self.put(client, d, 1), self.errors

    def run(self, stop: threading.Event) -> None:
        version = 1
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while not stop.is_set():
                version += 1
                for d in range(self.docs):
                    if stop.is_set() or not self.put(client, d, version):
                        return

    def allowed(self, settings: Settings) -> dict[str, list[frozenset[str]]]:
        """Per document: the acknowledged version, or the next one (in flight at the kill)."""
        out: dict[str, list[frozenset[str]]] = {}
        for d, v in self.acked.items():
            versions = []
            for version in (v, v + 1):
                doc = document_from_text(
                    markdown(d, version, self.sections), name=f"burst-{d:02d}", suffix=".md",
                    source="api", origin="api", doc_id=f"burst-{d:02d}",
                )
                versions.append(expected_ids([doc], settings)[doc.id])
            out[f"burst-{d:02d}"] = versions
        return out
