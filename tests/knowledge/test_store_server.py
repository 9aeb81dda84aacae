"""The same store behaviour against a real ``chroma run`` server started by the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.chroma import ChromaServer, free_port

from advisor.config import Settings
from advisor.knowledge.store import StoreUnavailable
from advisor.schemas.retrieval import Document
from advisor.search.knowledge_base import KnowledgeBase


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-server", free_port())
    server.start()
    yield server
    server.stop()


def test_server_store_behaves_like_embedded(
    settings: Settings, chroma_server: ChromaServer, knowledge_copy: Path
) -> None:
    kb = KnowledgeBase(settings.model_copy(update={"chroma_url": chroma_server.url}))
    first = kb.ingest_folder(knowledge_copy)
    assert len(first.added) == 5
    assert kb.ingest_folder(knowledge_copy).chunks_written == 0
    result = kb.search("fine-tune a small model for on-device inference", 3)
    assert result.relevant and result.passages
    assert not (settings.data_dir / "chroma").exists(), "server mode must not write a local store"

    other_process_view = KnowledgeBase(settings.model_copy(update={"chroma_url": chroma_server.url}))
    kb.put_document(Document(id="zebra-notes", title="Zebra notes", text="Zebra stripes and quokkas."))
    found = other_process_view.search("zebra quokkas", 1).passages
    assert found[0].doc_id == "zebra-notes", "BM25 side sees another client's write"


def test_server_down_is_store_unavailable_then_recovers(
    settings: Settings, chroma_server: ChromaServer, knowledge_copy: Path
) -> None:
    kb = KnowledgeBase(settings.model_copy(update={"chroma_url": chroma_server.url}))
    kb.ingest_folder(knowledge_copy)
    chroma_server.stop()
    with pytest.raises(StoreUnavailable, match="unreachable"):
        kb.search("when should we fine-tune?", 3)
    chroma_server.start()
    assert kb.search("when should we fine-tune?", 3).passages
