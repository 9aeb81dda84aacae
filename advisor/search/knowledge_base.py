"""The knowledge base: documents in, cited passages out. Owns store, embedder and retriever."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from advisor.config import Settings
from advisor.knowledge.documents import KnowledgeError, load_folder
from advisor.knowledge.embeddings import (
    OFFLINE,
    Embedder,
    fit_static_embedding,
    load_embedder,
    offline_model_exists,
)
from advisor.knowledge.ingest import (
    IngestReport,
    chunk_documents,
    delete_document,
    reembed_all,
    sync_documents,
)
from advisor.knowledge.store import ChunkStore, StoredChunk, StoreUnavailable
from advisor.schemas.retrieval import Document, SearchResult
from advisor.search.retrieval import HybridRetriever

API_ORIGIN = "api"
RETRY_S = (0.25, 2.0)  # the start-up ingest's first retry and longest wait, seconds
log = logging.getLogger("advisor.knowledge.documents")


class DocumentInfo(BaseModel):
    id: str
    title: str
    origin: str
    source: str
    chunks: int


class KnowledgeBase:
    def __init__(self, settings: Settings, store: ChunkStore | None = None) -> None:
        self.settings = settings
        self.store = store or ChunkStore(settings)
        self._embedder: Embedder | None = None
        self._lock = threading.RLock()
        self._pending: str | None = None  # why the start-up ingest has not happened yet
        self.stop_retrying = threading.Event()
        self.retriever = HybridRetriever(
            self.store, self.embedder, min_relevance=settings.min_relevance
        )

    # ---- embedder ----------------------------------------------------------------
    def embedder(self) -> Embedder:
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    self._embedder = load_embedder(
                        self.settings.embedding_model, self.settings.embedder_path
                    )
        return self._embedder

    def _prepare_embedder(
        self, chunked: list[tuple[Document, list[StoredChunk]]], show_progress: bool
    ) -> int:
        """Fit the offline model if missing; re-embed the store if the model changed."""
        if self.settings.embedding_model == OFFLINE and not offline_model_exists(
            self.settings.embedder_path
        ):
            texts = [s.chunk.index_text() for s in self.store.all_chunks()]
            texts += [s.chunk.index_text() for _, items in chunked for s in items]
            fit_static_embedding(texts, self.settings.embedder_path)
            self._embedder = None
        embedder = self.embedder()
        recorded = self.store.info().get("embedder")
        if recorded and recorded != embedder.fingerprint and self.store.count():
            return reembed_all(self.store, embedder, show_progress)
        return 0

    # ---- writes ------------------------------------------------------------------
    def ingest_documents(
        self,
        docs: Sequence[Document],
        *,
        prune_origin: str | None = None,
        show_progress: bool = False,
    ) -> IngestReport:
        """Sync a batch of documents: the one write path (folders, the API, BEIR runs)."""
        started = time.perf_counter()
        chunked = chunk_documents(
            docs, self.settings.chunk_max_chars, self.settings.chunk_overlap_chars
        )
        chunk_seconds = time.perf_counter() - started
        with self._lock:
            started = time.perf_counter()
            reembedded = self._prepare_embedder(chunked, show_progress)
            fit_seconds = time.perf_counter() - started
            report = sync_documents(
                self.store, self.embedder(), chunked,
                prune_origin=prune_origin, show_progress=show_progress,
            )
        report.reembedded, report.fit_seconds = reembedded, fit_seconds
        report.seconds += chunk_seconds
        return report

    def ingest_folder(self, folder: Path, show_progress: bool = False) -> IngestReport:
        loaded = load_folder(Path(folder))
        report = self.ingest_documents(
            loaded.documents, prune_origin=str(Path(folder).resolve()),
            show_progress=show_progress,
        )
        report.failures.update(loaded.failures)
        return report

    def put_document(self, doc: Document) -> IngestReport:
        self.require_ready()  # a write before the start-up ingest would stop it ever happening
        doc = doc.model_copy(update={"origin": API_ORIGIN, "source": doc.source or API_ORIGIN})
        return self.ingest_documents([doc])

    def delete_document(self, doc_id: str) -> bool:
        self.require_ready()
        with self._lock:
            return delete_document(self.store, self.embedder(), doc_id)

    def ensure_ingested(self, show_progress: bool = False) -> IngestReport | None:
        """On first use, ingest the configured knowledge folder into an empty store. Later,
        if the store holds that folder's documents, sync them, so edited articles or question
        banks (a ``git pull``) are searched without a manual ``advisor ingest``; an unchanged
        folder writes nothing (about 0.2 s for the shipped one). A report is returned only
        when something was written."""
        folder = self.settings.knowledge_dir
        if self.store.count() > 0 and (
            self.settings.embedding_model != OFFLINE
            or offline_model_exists(self.settings.embedder_path)
        ):
            origin = str(folder.resolve())
            holds = any(
                e.origin == origin and e.chunk_ids for e in self.store.documents_index().values()
            )
            if not (holds and folder.is_dir()):
                return None
            report = self.ingest_folder(folder, show_progress=show_progress)
            return report if report.changed else None
        if not folder.exists():
            raise KnowledgeError(
                f"the store is empty and the knowledge folder {folder} "
                "does not exist; run `advisor ingest PATH`"
            )
        return self.ingest_folder(folder, show_progress=show_progress)

    def ingest_in_background(self, error: BaseException) -> threading.Thread:
        """The store was unreachable at start-up: retry :meth:`ensure_ingested` in a thread
        (waits doubling from ``RETRY_S[0]`` to ``RETRY_S[1]``) until it has happened; until then
        :meth:`require_ready` (every read and write) raises StoreUnavailable."""
        self._pending = _pending_message(error)

        def retry() -> None:
            wait = RETRY_S[0]
            while not self.stop_retrying.wait(wait):
                try:
                    report = self.ensure_ingested()
                except (StoreUnavailable, KnowledgeError) as exc:
                    self._pending = _pending_message(exc)
                except Exception as exc:  # keep retrying, say why
                    log.warning("start-up ingest failed, retrying: %s", exc, exc_info=True)
                    self._pending = _pending_message(exc)
                else:
                    self._pending = None
                    log.info("start-up ingest done: %s", report.summary() if report else "no change")
                    return
                wait = min(2 * wait, RETRY_S[1])

        thread = threading.Thread(target=retry, name="advisor-start-up-ingest", daemon=True)
        thread.start()
        return thread

    def require_ready(self) -> None:
        """Raises StoreUnavailable while the start-up ingest is still pending."""
        pending = self._pending
        if pending is not None:
            raise StoreUnavailable(pending)

    # ---- reads -------------------------------------------------------------------
    def documents(self) -> list[DocumentInfo]:
        self.require_ready()
        return [
            DocumentInfo(id=e.doc_id, title=e.title, origin=e.origin, source=e.source,
                         chunks=len(e.chunk_ids))
            for e in sorted(self.store.documents_index().values(), key=lambda e: e.doc_id)
            if e.chunk_ids
        ]

    def search(self, query: str, k: int | None = None) -> SearchResult:
        self.require_ready()
        return self.retriever.search(query, k or self.settings.top_k)


def _pending_message(error: BaseException) -> str:
    return (
        f"the articles are not ingested yet: {error}; the advisor retries by itself and "
        "answers once they are in"
    )


class QuoteLocator:
    """Finds the stored chunk that contains an article quote (for citing rule evidence).

    It reads the chunks the retriever's lexical index already holds in memory (refreshed when
    the store's revision changes), so locating a recommendation's quotes costs no I/O.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._lock = threading.Lock()
        self._cache: tuple[str, dict[str, list[StoredChunk]]] = ("", {})

    def _by_doc(self) -> dict[str, list[StoredChunk]]:
        index = self._kb.retriever.lexical_index()
        with self._lock:
            if self._cache[0] != index.revision or not self._cache[1]:
                by_doc: dict[str, list[StoredChunk]] = {}
                for stored in index.chunks:
                    by_doc.setdefault(stored.chunk.doc_id, []).append(stored)
                self._cache = (index.revision, by_doc)
            return self._cache[1]

    def find(self, doc_id: str, quote: str) -> StoredChunk | None:
        needle = " ".join(quote.split())
        candidates = [
            s for s in self._by_doc().get(doc_id, []) if needle in " ".join(s.chunk.text.split())
        ]
        # The shortest chunk holding the quote is the most specific citation.
        return min(candidates, key=lambda s: len(s.chunk.text)) if candidates else None
