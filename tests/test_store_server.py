"""The same store behaviour against a real ``chroma run`` server started by the test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from advisor.config import Settings
from advisor.knowledge_base import KnowledgeBase
from advisor.schemas.retrieval import Document
from advisor.store import StoreUnavailable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chroma_executable() -> str:
    found = Path(sys.executable).with_name("chroma")
    if found.exists():
        return str(found)
    which = shutil.which("chroma")
    if which:
        return which
    message = "the `chroma` command (from the chromadb package) is not installed"
    if os.environ.get("ADVISOR_REQUIRE_CHROMA_SERVER") == "1":
        pytest.fail(message)
    pytest.skip(message)


class ChromaServer:
    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [chroma_executable(), "run", "--path", str(self.path), "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        pytest.fail("chroma server did not start within 30 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None


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
