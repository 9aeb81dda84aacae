"""The chunk store: Chroma, embedded (``PersistentClient``) or a server (``ADVISOR_CHROMA_URL``).

Vectors are always computed by the advisor's own embedder and passed in, so Chroma's default
embedding function (which would fetch a model) is never used. The collection's metadata records
which embedder made its vectors and a revision that changes on every write: other processes
sharing a Chroma server use it to notice new documents and rebuild their BM25 index.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from advisor.config import Settings
from advisor.schemas.retrieval import Chunk

T = TypeVar("T")
_BATCH = 1000
EMBEDDED_REVISION_TTL = 1.0  # seconds an embedded store's revision read is trusted


class StoreUnavailable(RuntimeError):
    """The Chroma store cannot be reached (server down, path unusable)."""


@dataclass(frozen=True)
class StoredChunk:
    chunk: Chunk
    origin: str
    source: str
    author: str
    date: str


@dataclass
class DocIndex:
    doc_id: str
    title: str
    origin: str
    source: str
    chunk_ids: set[str]


def _metadata(chunk: Chunk, origin: str, source: str, author: str, date: str) -> dict[str, Any]:
    return {
        "doc_id": chunk.doc_id, "title": chunk.title, "section": chunk.section,
        "start": chunk.start, "end": chunk.end, "origin": origin, "source": source,
        "author": author, "date": date, "questions": "\n".join(chunk.questions),
    }


def _stored(chunk_id: str, text: str, meta: dict[str, Any]) -> StoredChunk:
    chunk = Chunk(
        id=chunk_id, doc_id=str(meta["doc_id"]), title=str(meta.get("title", "")),
        section=str(meta.get("section", "")), start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)), text=text,
        questions=[q for q in str(meta.get("questions") or "").split("\n") if q],
    )
    return StoredChunk(
        chunk, str(meta.get("origin", "")), str(meta.get("source", "")),
        str(meta.get("author", "")), str(meta.get("date", "")),
    )


class ChunkStore:
    """Chunks with their vectors in one Chroma collection."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: Any = None
        self._handle: Any = None
        self._revision_cache: tuple[str, float] | None = None
        self._lock = threading.Lock()

    @property
    def location(self) -> str:
        return self._settings.chroma_url or str(self._settings.chroma_path)

    def _connect(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        url = self._settings.chroma_url
        if url:
            parsed = urlparse(url if "://" in url else f"http://{url}")
            return chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
        self._settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(self._settings.chroma_path), settings=chroma_settings)

    def _collection(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            if self._handle is None:
                self._handle = self._client.get_or_create_collection(
                    self._settings.collection,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine"}},
                )
            return self._handle

    def _call(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(collection)``; any failure to reach the store becomes StoreUnavailable.

        The collection handle is cached; if another client dropped and re-created the
        collection (a re-embed), the stale handle is replaced and the call retried once.
        """
        for attempt in (1, 2):
            try:
                return fn(self._collection())
            except StoreUnavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - classified below
                if self._settings.chroma_url and _looks_like_connection_error(exc):
                    with self._lock:
                        self._client = self._handle = None  # reconnect on the next call
                    raise StoreUnavailable(
                        f"Chroma server at {self._settings.chroma_url} is unreachable: {exc}"
                    ) from exc
                if attempt == 1 and _is_missing_collection(exc):
                    with self._lock:
                        self._handle = None
                    continue
                raise
        raise AssertionError("unreachable")

    # ---- reads -----------------------------------------------------------------
    def count(self) -> int:
        return self._call(lambda c: c.count())

    def info(self) -> dict[str, str]:
        """Collection metadata: ``embedder`` fingerprint and write ``revision``."""
        def read(c: Any) -> dict[str, str]:
            fresh = self._client.get_collection(c.name, embedding_function=None)
            return {k: str(v) for k, v in (fresh.metadata or {}).items()}
        return self._call(read)

    def revision(self) -> str:
        """The write revision. Embedded stores are written by this process (one client per
        path), so a read is trusted for ``EMBEDDED_REVISION_TTL`` seconds and refreshed at once
        by our own writes; a Chroma server is shared, so every call asks it."""
        if self._settings.chroma_url is None:
            cached = self._revision_cache
            if cached and time.monotonic() - cached[1] < EMBEDDED_REVISION_TTL:
                return cached[0]
        revision = self.info().get("revision", "")
        self._revision_cache = (revision, time.monotonic())
        return revision

    def all_chunks(self) -> list[StoredChunk]:
        def read(c: Any) -> list[StoredChunk]:
            out: list[StoredChunk] = []
            offset = 0
            while True:
                got = c.get(include=["documents", "metadatas"], limit=_BATCH, offset=offset)
                out += [_stored(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
                if len(got["ids"]) < _BATCH:
                    return sorted(out, key=lambda s: (s.chunk.doc_id, s.chunk.start, s.chunk.id))
                offset += _BATCH
        return self._call(read)

    def documents_index(self) -> dict[str, DocIndex]:
        """Per stored document: the folder (or 'api') that owns it, its title and chunk ids."""
        def read(c: Any) -> dict[str, DocIndex]:
            out: dict[str, DocIndex] = {}
            offset = 0
            while True:
                got = c.get(include=["metadatas"], limit=_BATCH, offset=offset)
                for cid, meta in zip(got["ids"], got["metadatas"]):
                    doc_id = str(meta["doc_id"])
                    entry = out.setdefault(
                        doc_id, DocIndex(doc_id, str(meta.get("title", "")), str(meta.get("origin", "")),
                                         str(meta.get("source", "")), set())
                    )
                    entry.chunk_ids.add(cid)
                if len(got["ids"]) < _BATCH:
                    return out
                offset += _BATCH
        return self._call(read)

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity, best first (``n`` at most the store size)."""
        def read(c: Any) -> list[tuple[str, float]]:
            if n < 1:
                return []
            got = c.query(query_embeddings=[vector.tolist()], n_results=n, include=["distances"])
            return [(i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])]
        return self._call(read)

    # ---- writes ----------------------------------------------------------------
    def upsert(self, items: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        def write(c: Any) -> None:
            for i in range(0, len(items), _BATCH):
                batch = items[i:i + _BATCH]
                c.upsert(
                    ids=[s.chunk.id for s in batch],
                    documents=[s.chunk.text for s in batch],
                    metadatas=[_metadata(s.chunk, s.origin, s.source, s.author, s.date) for s in batch],
                    embeddings=vectors[i:i + _BATCH].tolist(),
                )
        if items:
            self._call(write)

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if ids:
            self._call(lambda c: [c.delete(ids=ids[i:i + _BATCH]) for i in range(0, len(ids), _BATCH)])

    def mark_written(self, embedder_fingerprint: str) -> str:
        """Record a new revision (and the embedder that made the vectors)."""
        revision = uuid.uuid4().hex
        self._call(lambda c: c.modify(metadata={"embedder": embedder_fingerprint, "revision": revision}))
        self._revision_cache = None
        return revision

    def drop(self) -> None:
        """Delete the whole collection (used to re-embed with another model)."""
        def drop(c: Any) -> None:
            self._client.delete_collection(c.name)
        self._call(drop)
        with self._lock:
            self._handle = None
        self._revision_cache = None


def _looks_like_connection_error(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in _chain(exc)}
    text = " ".join(str(e) for e in _chain(exc)).lower()
    return bool(
        names & {"ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError",
                 "ConnectionError", "ConnectionRefusedError", "ReadError", "WriteError"}
    ) or any(s in text for s in ("connection refused", "could not connect", "connect to chroma"))


def _is_missing_collection(exc: BaseException) -> bool:
    return "NotFound" in type(exc).__name__ or "does not exist" in str(exc).lower()


def _chain(exc: BaseException | None) -> Iterable[BaseException]:
    seen = 0
    while exc is not None and seen < 10:
        yield exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
