"""A real ``advisor serve`` subprocess on a free loopback port: the API over HTTP, the docs, and
what the process must not load."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from helpers.apps import json_events
from helpers.servers import AdvisorServer, shared_server

pytestmark = pytest.mark.server

WIKI = (
    "We answer customer support questions from an internal wiki that changes weekly, "
    "and every answer must cite its source. What should we build?"
)


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, fitted_data_dir: Path) -> AdvisorServer:
    return shared_server(request, fitted_data_dir)


def test_serves_the_api_docs_and_health(server: AdvisorServer) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        ready = c.get("/readyz").json()
        assert ready["status"] == "ready" and ready["chunks"] > 0
        assert "swagger" in c.get("/docs").text.lower()
        assert "/v1/ask" in c.get("/openapi.json").json()["paths"]
        r = c.post("/v1/ask", json={"messages": [{"role": "user", "content": WIKI}]})
        assert r.status_code == 200 and r.json()["recommendation"]["approach"] == "rag"
        assert c.get("/v1/search", params={"q": "catastrophic forgetting"}).json()["passages"]
        error = c.post("/v1/ask", json={"messages": [{"role": "user", "content": " "}]})
        assert error.status_code == 422 and error.json()["error"]["code"] == "invalid_conversation"
        assert c.get("/v1/nope").json()["error"]["code"] == "not_found"


def test_streams_over_real_http(server: AdvisorServer) -> None:
    body = {"messages": [{"role": "user", "content": WIKI}]}
    with httpx.stream("POST", f"{server.url}/v1/ask/stream", json=body, timeout=30) as r:
        assert r.status_code == 200
        lines = list(r.iter_lines())
    assert json_events(lines, "delta") and len(json_events(lines, "reply")) == 1


def test_oversized_body_is_413_over_a_real_socket(server: AdvisorServer) -> None:
    big = b"x" * 300_000

    def chunks():
        for i in range(0, len(big), 8192):
            yield big[i : i + 8192]

    for content in (big, chunks()):
        r = httpx.post(
            f"{server.url}/v1/ask",
            content=content,
            timeout=30,
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"


def test_the_server_loads_the_readers_encoder_before_it_is_ready(server: AdvisorServer) -> None:
    # The offline reader's heads sit on all-MiniLM-L6-v2, served by ONNX Runtime: it is loaded at
    # start-up, so the first ask does not pay for it, and torch (several seconds of imports)
    # stays out of the process (benchmarks/bench_server.py prints the time to ready).
    assert server.proc is not None
    maps = Path(f"/proc/{server.proc.pid}/maps").read_text()
    assert "onnxruntime" in maps, "the reader's encoder was not loaded at start-up"
    assert "libtorch" not in maps, "torch was loaded into the serving process"


def test_the_gradio_page_is_mounted_at_the_root(server: AdvisorServer) -> None:
    from gradio_client import Client

    page = httpx.get(server.url + "/", timeout=30)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    client = Client(server.url + "/", verbose=False)
    try:
        box, chat, _download = client.predict(WIKI, api_name="/respond")
    finally:
        client.close()
    assert box == ""
    assert [m["role"] for m in chat] == ["user", "assistant"]
    answer = " ".join(part.get("text", "") for part in chat[-1]["content"])
    assert "Recommendation: RAG" in answer
    # the page and the API share one app: the API still answers JSON next to it
    assert (
        httpx.get(server.url + "/v1/documents", timeout=30).headers["content-type"]
        == "application/json"
    )
