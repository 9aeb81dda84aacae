"""The chunk store: Chroma, embedded (``PersistentClient``) or a server (``ADVISOR_CHROMA_URL``).

Vectors are always computed by the advisor's own embedder and passed in, so Chroma's default
embedding function (which would fetch a model) is never used. The collection's metadata records
which embedder made its vectors and a revision that changes on every write: other processes
sharing a Chroma server use it to notice new documents and rebuild their BM25 index.

Crash safety. Chroma has no transaction across records, so a document's version is committed by
one record written last: its *marker* (collection ``<name>-docs``, one record per document,
listing the ids of the chunks of the version in force). A replace writes the new chunks first
(ids are content hashes, so old and new coexist), then the marker, then deletes the chunks no
longer listed; the store serves a document's listed chunks only, and only when all are present.
A kill at any moment leaves the old version or the new one served, and the next write of that
document deletes the strays. A store written before markers existed (no ``layout`` in its
metadata) is served whole and gets its markers on its first write. Re-embedding with another
model writes a staging collection and swaps it in (a swap interrupted by a crash is finished on
the next open).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from advisor.config import Settings
from advisor.schemas.retrieval import Chunk

T = TypeVar("T")
_BATCH = 1000
EMBEDDED_REVISION_TTL = 1.0  # seconds an embedded store's revision read is trusted
LAYOUT = "2"  # collection metadata: documents are committed by markers
_MARKER_VECTOR = [1.0]  # markers are never searched; Chroma wants a vector all the same


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
    chunk_ids: set[str]  # the chunks of the committed version (empty: none committed)
    stray_ids: set[str] = field(default_factory=set)  # left by an interrupted write


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
    """Chunks with their vectors in one Chroma collection, documents' markers in another."""

    def __init__(self, settings: Settings, collection: str | None = None) -> None:
        self._settings = settings
        self._name = collection or settings.collection
        self._client: Any = None
        self._handle: Any = None
        self._docs_handle: Any = None
        self._revision_cache: tuple[str, float] | None = None
        self._lock = threading.Lock()

    @property
    def location(self) -> str:
        return self._settings.chroma_url or str(self._settings.chroma_path)

    @property
    def kind(self) -> str:
        """``server`` (ADVISOR_CHROMA_URL) or ``embedded``: what /readyz may show anyone."""
        return "server" if self._settings.chroma_url else "embedded"

    @property
    def _docs_name(self) -> str:
        return f"{self._settings.collection}-docs"

    @property
    def _staging_name(self) -> str:
        return f"{self._settings.collection}-staging"

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

    def _open(self, name: str) -> Any:
        return self._client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def _collection(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            if self._handle is None:
                if self._name == self._settings.collection:
                    self._finish_swap()
                self._handle = self._open(self._name)
            return self._handle

    def _docs(self) -> Any:
        self._collection()
        with self._lock:
            if self._docs_handle is None:
                self._docs_handle = self._client.get_or_create_collection(
                    self._docs_name, embedding_function=None
                )
            return self._docs_handle

    def _finish_swap(self) -> None:
        """A re-embed crashed between dropping the live collection and renaming the staged one
        into its place: finish it (a staging collection not marked complete is left alone)."""
        names = {getattr(c, "name", c) for c in self._client.list_collections()}
        if self._name in names or self._staging_name not in names:
            return
        staged = self._client.get_collection(self._staging_name, embedding_function=None)
        if (staged.metadata or {}).get("staged") == "complete":
            staged.modify(name=self._name)

    def _call(self, fn: Callable[[Any], T], *, docs: bool = False) -> T:
        """Run ``fn(collection)`` (the markers' collection with ``docs``); any failure to reach
        the store becomes StoreUnavailable.

        The collection handles are cached; if another client dropped and re-created the
        collection (a re-embed), the stale handle is replaced and the call retried once.
        """
        for attempt in (1, 2):
            try:
                return fn(self._docs() if docs else self._collection())
            except StoreUnavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - classified below
                if self._settings.chroma_url and _looks_like_connection_error(exc):
                    with self._lock:
                        self._client = self._handle = self._docs_handle = None  # reconnect
                    raise StoreUnavailable(
                        f"Chroma server at {self._settings.chroma_url} is unreachable: {exc}"
                    ) from exc
                if attempt == 1 and _is_missing_collection(exc):
                    with self._lock:
                        self._handle = self._docs_handle = None
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

    def _records(self, include: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
        """Every chunk record: (id, text or '', metadata), in batches."""
        def read(c: Any) -> list[tuple[str, str, dict[str, Any]]]:
            out: list[tuple[str, str, dict[str, Any]]] = []
            offset = 0
            while True:
                got = c.get(include=include, limit=_BATCH, offset=offset)
                texts = got.get("documents") or [""] * len(got["ids"])
                out += list(zip(got["ids"], texts, got["metadatas"]))
                if len(got["ids"]) < _BATCH:
                    return out
                offset += _BATCH
        return self._call(read)

    def _layout(self) -> str:
        return self.info().get("layout", "")

    def markers(self) -> dict[str, frozenset[str]]:
        """Per committed document, the ids of its chunks in force."""
        def read(c: Any) -> dict[str, frozenset[str]]:
            out: dict[str, frozenset[str]] = {}
            offset = 0
            while True:
                got = c.get(include=["documents"], limit=_BATCH, offset=offset)
                for doc_id, listed in zip(got["ids"], got["documents"]):
                    out[doc_id] = frozenset(i for i in (listed or "").split("\n") if i)
                if len(got["ids"]) < _BATCH:
                    return out
                offset += _BATCH
        return self._call(read, docs=True)

    def _served(self, ids: Iterable[tuple[str, str]]) -> Callable[[str, str], bool]:
        """Which (doc_id, chunk_id) pairs the store serves: the chunks its documents' markers
        list, for documents whose listed chunks are all present (everything, in an old store)."""
        if self._layout() != LAYOUT:
            return lambda _doc, _cid: True
        markers = self.markers()
        present: dict[str, set[str]] = {}
        for doc_id, cid in ids:
            present.setdefault(doc_id, set()).add(cid)
        whole = {d for d, listed in markers.items() if listed and listed <= present.get(d, set())}
        return lambda doc_id, cid: doc_id in whole and cid in markers[doc_id]

    def all_chunks(self) -> list[StoredChunk]:
        """The chunks the store serves (committed versions only), in document order."""
        records = self._records(["documents", "metadatas"])
        served = self._served((str(m["doc_id"]), i) for i, _, m in records)
        out = [_stored(i, d, m) for i, d, m in records if served(str(m["doc_id"]), i)]
        return sorted(out, key=lambda s: (s.chunk.doc_id, s.chunk.start, s.chunk.id))

    def documents_index(self) -> dict[str, DocIndex]:
        """Per stored document: the folder (or 'api') that owns it, its title, the chunk ids of
        its committed version and any stray ids an interrupted write left (a document with
        strays only has no committed version: it was never served)."""
        records = self._records(["metadatas"])
        served = self._served((str(m["doc_id"]), i) for i, _, m in records)
        out: dict[str, DocIndex] = {}
        for cid, _, meta in records:
            doc_id = str(meta["doc_id"])
            entry = out.setdefault(
                doc_id, DocIndex(doc_id, str(meta.get("title", "")), str(meta.get("origin", "")),
                                 str(meta.get("source", "")), set())
            )
            (entry.chunk_ids if served(doc_id, cid) else entry.stray_ids).add(cid)
        return out

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

    def commit(self, versions: Mapping[str, Collection[str]], removed: Collection[str] = ()) -> None:
        """Make these chunk ids each document's version in force (their chunks written first),
        and withdraw the removed documents: the one write that switches what is served."""
        def write(c: Any) -> None:
            items = sorted(versions.items())
            for i in range(0, len(items), _BATCH):
                batch = items[i:i + _BATCH]
                c.upsert(
                    ids=[doc_id for doc_id, _ in batch],
                    documents=["\n".join(sorted(ids)) for _, ids in batch],
                    metadatas=[{"chunks": len(ids)} for _, ids in batch],
                    embeddings=[_MARKER_VECTOR] * len(batch),
                )
            gone = sorted(set(removed))
            for i in range(0, len(gone), _BATCH):
                c.delete(ids=gone[i:i + _BATCH])
        if versions or removed:
            self._call(write, docs=True)

    def ensure_layout(self) -> None:
        """Before the first crash-safe write: give a store written before markers existed a
        marker per document (its chunks as they are), and record that markers now decide."""
        meta = self.info()
        if meta.get("layout") == LAYOUT:
            return
        if self.count():
            versions: dict[str, list[str]] = {}
            for cid, _, chunk_meta in self._records(["metadatas"]):
                versions.setdefault(str(chunk_meta["doc_id"]), []).append(cid)
            self.commit(versions)
        self._call(lambda c: c.modify(metadata={**meta, "layout": LAYOUT}))
        self._revision_cache = None

    def mark_written(self, embedder_fingerprint: str, **extra: str) -> str:
        """Record a new revision (and the embedder that made the vectors)."""
        revision = uuid.uuid4().hex
        metadata = {"embedder": embedder_fingerprint, "revision": revision, "layout": LAYOUT,
                    **extra}
        self._call(lambda c: c.modify(metadata=metadata))
        self._revision_cache = None
        return revision

    def staging(self) -> ChunkStore:
        """An empty collection beside this one, to re-embed into and then :meth:`swap_in`."""
        self._collection()
        staged = ChunkStore(self._settings, collection=self._staging_name)
        staged._client = self._client
        if self._staging_name in {getattr(c, "name", c) for c in self._client.list_collections()}:
            self._client.delete_collection(self._staging_name)  # a re-embed that did not finish
        return staged

    def swap_in(self, staged: ChunkStore, embedder_fingerprint: str) -> None:
        """Replace this collection by a complete staged one. Marked complete first, so a crash
        between dropping this one and the rename is finished by the next open."""
        staged.mark_written(embedder_fingerprint, staged="complete")

        def swap(c: Any) -> None:
            self._client.delete_collection(c.name)
            self._client.get_collection(self._staging_name, embedding_function=None).modify(
                name=self._name
            )
        self._call(swap)
        with self._lock:
            self._handle = None
        self.mark_written(embedder_fingerprint)

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
