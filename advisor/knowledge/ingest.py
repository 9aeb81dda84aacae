"""Syncing documents into the store: upsert by stable id, never duplicate, never lose.

Re-ingesting an unchanged corpus writes nothing; a changed document replaces exactly its
chunks; a document gone from the folder it came from is deleted (documents from other
folders, or put through the API, are left alone).

Every write is ordered so that a crash at any moment loses nothing (``advisor.knowledge.store``): the new
chunks are written first, then the documents' markers switch to them, and only then are the
chunks no longer wanted deleted, along with any strays an interrupted write left behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from advisor.knowledge.chunking import chunk_document
from advisor.knowledge.embeddings import Embedder
from advisor.knowledge.store import ChunkStore, StoredChunk
from advisor.schemas.retrieval import Document

EMBED_BATCH = 256


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    chunks_written: int = 0
    chunks_deleted: int = 0
    reembedded: int = 0
    fit_seconds: float = 0.0  # fitting the offline embedder (first ingest only)
    seconds: float = 0.0  # chunk, embed and write

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed or self.reembedded)

    def summary(self) -> str:
        lines = [
            f"added {len(self.added)}, replaced {len(self.replaced)}, removed {len(self.removed)}, "
            f"unchanged {len(self.unchanged)} documents; {self.chunks_written} chunks written, "
            f"{self.chunks_deleted} deleted in {self.seconds:.1f}s"
        ]
        for label, ids in (("added", self.added), ("replaced", self.replaced), ("removed", self.removed)):
            lines += [f"  {label}: {doc_id}" for doc_id in ids]
        if self.reembedded:
            lines.append(f"  re-embedded {self.reembedded} stored chunks with the new embedder")
        lines += [f"  could not read {name}: {why}" for name, why in self.failures.items()]
        return "\n".join(lines)


def stored_chunks(doc: Document, max_chars: int, overlap: int) -> list[StoredChunk]:
    return [
        StoredChunk(c, doc.origin, doc.source, doc.author or "", doc.date or "")
        for c in chunk_document(doc, max_chars=max_chars, overlap=overlap)
    ]


def write_embedded(
    store: ChunkStore,
    embedder: Embedder,
    items: Sequence[StoredChunk],
    progress: Callable[[int], None] | None = None,
) -> None:
    for i in range(0, len(items), EMBED_BATCH):
        batch = items[i:i + EMBED_BATCH]
        vectors = embedder.encode([s.chunk.index_text() for s in batch])
        store.upsert(batch, np.asarray(vectors, dtype=np.float32))
        if progress:
            progress(len(batch))


def chunk_documents(
    docs: Sequence[Document], max_chars: int, overlap: int
) -> list[tuple[Document, list[StoredChunk]]]:
    """Each document with its chunks (chunked once, for both fitting and syncing)."""
    return [(doc, stored_chunks(doc, max_chars, overlap)) for doc in docs]


def sync_documents(
    store: ChunkStore,
    embedder: Embedder,
    chunked: Sequence[tuple[Document, list[StoredChunk]]],
    *,
    prune_origin: str | None = None,
    show_progress: bool = False,
) -> IngestReport:
    """Make the store hold exactly these documents (plus documents of other origins)."""
    started = time.perf_counter()
    report = IngestReport()
    existing = store.documents_index()
    to_write: list[StoredChunk] = []
    to_delete: list[str] = []
    commits: dict[str, list[str]] = {}
    for doc, items in chunked:
        new_ids = {s.chunk.id for s in items}
        old = existing.get(doc.id)
        old_ids = old.chunk_ids if old else set()
        strays = old.stray_ids if old else set()
        to_delete += sorted((old_ids | strays) - new_ids)
        if not old_ids:
            report.added.append(doc.id)
        elif old_ids == new_ids:
            report.unchanged.append(doc.id)
            continue
        else:
            report.replaced.append(doc.id)
        to_write += [s for s in items if s.chunk.id not in old_ids]
        commits[doc.id] = sorted(new_ids)
    removed: list[str] = []
    if prune_origin is not None:
        wanted = {doc.id for doc, _ in chunked}
        for doc_id, entry in sorted(existing.items()):
            if entry.origin == prune_origin and doc_id not in wanted:
                if entry.chunk_ids:
                    report.removed.append(doc_id)
                removed.append(doc_id)
                to_delete += sorted(entry.chunk_ids | entry.stray_ids)
    _apply(store, embedder, to_write, to_delete, show_progress, commits, removed)
    report.chunks_written, report.chunks_deleted = len(to_write), len(to_delete)
    report.seconds = time.perf_counter() - started
    return report


def delete_document(store: ChunkStore, embedder: Embedder, doc_id: str) -> bool:
    """Withdraw a document, then delete its chunks; False when no version of it was served
    (strays an interrupted write left are deleted all the same)."""
    entry = store.documents_index().get(doc_id)
    if entry is None:
        return False
    _apply(store, embedder, [], sorted(entry.chunk_ids | entry.stray_ids), False, {}, [doc_id])
    return bool(entry.chunk_ids)


def reembed_all(store: ChunkStore, embedder: Embedder, show_progress: bool = False) -> int:
    """Replace every vector with one from ``embedder`` (the model changed): into a staging
    collection, swapped in when complete, so a crash leaves the old vectors or the new ones."""
    store.ensure_layout()
    items = store.all_chunks()
    staged = store.staging()
    _write(staged, embedder, items, show_progress)
    store.swap_in(staged, embedder.fingerprint)
    return len(items)


def _write(
    store: ChunkStore, embedder: Embedder, items: Sequence[StoredChunk], show_progress: bool
) -> None:
    from tqdm.auto import tqdm

    with tqdm(total=len(items), desc="embedding chunks", unit="chunk",
              disable=not show_progress, leave=False) as bar:
        write_embedded(store, embedder, items, bar.update)


def _apply(
    store: ChunkStore,
    embedder: Embedder,
    to_write: Sequence[StoredChunk],
    to_delete: Sequence[str],
    show_progress: bool,
    commits: dict[str, list[str]],
    removed: Sequence[str] = (),
) -> None:
    """Write, commit, then delete: the order that makes a crash at any moment harmless."""
    if not (to_write or to_delete or commits or removed):
        return
    store.ensure_layout()
    if to_write:
        _write(store, embedder, to_write, show_progress)
    if commits or removed:
        store.commit(commits, removed)
        store.mark_written(embedder.fingerprint)
    store.delete(to_delete)
