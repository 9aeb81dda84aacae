"""``advisor serve`` against a real Chroma server (ADVISOR_CHROMA_URL).

The apps start while the Chroma server is down (alive, not ready, clear 503s), become ready and
ingest once it is up; two app processes see each other's document writes (BM25 side included);
the Chroma server is killed (clear 503s, the apps stay up) and restarted on the same path and
port, and the apps recover without a restart; SIGTERM then stops them promptly.
"""

from __future__ import annotations

import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from helpers.apps import API_KEY
from helpers.servers import AdvisorServer, ChromaServer, free_port

pytestmark = pytest.mark.server

AUTH = {"Authorization": f"Bearer {API_KEY}"}
ASK = {
    "messages": [
        {
            "role": "user",
            "content": "Our wiki changes weekly and answers must cite it. RAG or fine-tuning?",
        }
    ]
}


def _data_dir(root: Path, fitted_data_dir: Path) -> Path:
    """Only the fitted embedder: in server mode nothing else lives in the data dir."""
    shutil.copytree(fitted_data_dir / "embedder", root / "data" / "embedder")
    return root / "data"


def _eventually(check: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _status(url: str) -> int | None:
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.HTTPError:
        return None


def _assert_store_unavailable(c: httpx.Client, chroma_url: str) -> None:
    r = c.get("/readyz")
    assert r.status_code == 503, r.text
    error = r.json()["error"]
    assert error["code"] == "store_unavailable" and chroma_url in error["message"]
    for r in (c.post("/v1/ask", json=ASK), c.get("/v1/search", params={"q": "rag"})):
        assert r.status_code == 503 and r.json()["error"]["code"] == "store_unavailable", r.text
    assert c.get("/healthz").status_code == 200


def test_chroma_server_outages_and_shared_writes(tmp_path: Path, fitted_data_dir: Path) -> None:
    chroma = ChromaServer(tmp_path / "chroma-server", free_port())
    env = {"ADVISOR_CHROMA_URL": chroma.url, "ADVISOR_API_KEY": API_KEY}
    apps = [
        AdvisorServer(_data_dir(tmp_path / f"app{i}", fitted_data_dir), env=env) for i in (1, 2)
    ]
    page = None
    try:
        # 1. the apps start while the Chroma server is down: alive, not ready
        for app in apps:
            app.launch()
        for app in apps:
            assert _eventually(lambda app=app: _status(app.url + "/healthz") == 200, 90), (
                app.output()
            )
        a, b = (httpx.Client(base_url=app.url, timeout=30) for app in apps)
        for c in (a, b):
            _assert_store_unavailable(c, chroma.url)

        # 2. it comes up: the first app ingests the shipped articles, the second finds them
        chroma.start()
        for c in (a, b):
            assert _eventually(lambda c=c: c.get("/readyz").status_code == 200)
        assert a.get("/readyz").json()["store"] == "server", "the kind, not the URL"
        assert len(b.get("/v1/documents").json()) == 5
        assert not (apps[0].data_dir / "chroma").exists(), "server mode writes no local store"

        # 3. a write through one process is seen by the other, on the lexical side too
        r = a.put(
            "/v1/documents/zebra-notes",
            headers={**AUTH, "Content-Type": "text/markdown"},
            content="# Zebra notes\n\nZebra stripes confuse quokkas at dusk.",
        )
        assert r.status_code == 201, r.text
        hit = b.get("/v1/search", params={"q": "zebra quokkas", "k": 1}).json()["passages"][0]
        assert hit["doc_id"] == "zebra-notes" and (hit["bm25_score"] or 0) > 0
        assert b.delete("/v1/documents/zebra-notes", headers=AUTH).status_code == 204
        assert "zebra-notes" not in [d["id"] for d in a.get("/v1/documents").json()]
        passages = a.get("/v1/search", params={"q": "zebra quokkas", "k": 3}).json()["passages"]
        assert all(p["doc_id"] != "zebra-notes" for p in passages)

        # 4. the Chroma server is killed: clear 503s, the apps stay up
        chroma.stop()
        for c in (a, b):
            _assert_store_unavailable(c, chroma.url)

        # 5. it restarts on the same path and port: both apps recover by themselves
        chroma.start()
        for c in (a, b):
            assert _eventually(lambda c=c: c.get("/readyz").status_code == 200)
            r = c.post("/v1/ask", json=ASK)
            assert r.status_code == 200 and r.json()["recommendation"]["approach"] == "rag"
        assert len(a.get("/v1/documents").json()) == 5, "the data survived the restart"

        # 6. SIGTERM: a prompt, graceful exit, even after the page has had a client
        #    (timeout_graceful_shutdown bounds the event streams it keeps open)
        from gradio_client import Client

        page = Client(apps[0].url + "/", verbose=False)
        chat = page.predict(ASK["messages"][0]["content"], api_name="/respond")[1]
        assert "Recommendation: RAG" in str(chat[-1])
        for app in apps:
            started = time.monotonic()
            code = app.stop()  # uvicorn re-raises the SIGTERM after its graceful shutdown
            assert time.monotonic() - started < 8
            assert code in (0, -signal.SIGTERM), app.output()
            assert "Finished server process" in app.output(), "it shut down, it did not just die"
    finally:
        if page is not None:
            page.close()
        for app in apps:
            app.stop()
        chroma.stop()
