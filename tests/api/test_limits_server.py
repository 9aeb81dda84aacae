"""Nothing slow, nothing open: the limits, throttles and error shape of a real ``advisor serve``.

One server with small limits (and the page mounted) answers every probe of the adversarial run
that found these defects: lone surrogates, every body bounded on every route (the page's too),
bounded and timed request heads, slowly sent bodies, anonymous feedback and wrong keys
throttled per client, ``/readyz`` without the store's path, and one error shape for OPTIONS,
HEAD, ``/v1``, ``/V1/...``, bad UTF-8 and over-deep JSON. A second test starts a server while
its Chroma server is down and never probes ``/readyz``: it must answer 503 until the shipped
articles are in, then cite them.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers.apps import API_KEY
from helpers.servers import AdvisorServer, ChromaServer, free_port

pytestmark = pytest.mark.server

AUTH = {"Authorization": f"Bearer {API_KEY}"}
Q = "Our wiki changes weekly and answers must cite it. RAG or fine-tuning?"
LIMITS = {
    "ADVISOR_API_KEY": API_KEY,
    "ADVISOR_MAX_HEADER_BYTES": "8192",
    "ADVISOR_READ_TIMEOUT_S": "2",
    "ADVISOR_FEEDBACK_PER_MINUTE": "3",
    "ADVISOR_AUTH_FAILURES_PER_MINUTE": "4",
    "ADVISOR_MAX_FEEDBACK_BYTES": "60000",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, fitted_data_dir: Path) -> Iterator[AdvisorServer]:
    import shutil

    root = tmp_path_factory.mktemp("limits")
    shutil.copytree(fitted_data_dir, root / "data")
    server = AdvisorServer(root / "data", env=LIMITS).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def c(server: AdvisorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def error_of(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json"), r.headers
    error = r.json()["error"]
    assert error["code"] == code and error["message"], error
    return error


def raw(server: AdvisorServer, data: bytes, *, wait: float = 10.0) -> bytes:
    """Send bytes on a fresh connection; what the server answered before it closed."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as s:
        try:
            s.sendall(data)
        except OSError:  # the server closed while we were still sending: read its answer
            pass
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except OSError:
            pass
        return out


# ---- 2. invalid text -----------------------------------------------------------------------
def send_json(c: httpx.Client, method: str, path: str, body: Any, **headers: str) -> httpx.Response:
    """JSON as clients send it, ``\\ud800`` escapes included (httpx's own encoder refuses)."""
    return c.request(method, path, content=json.dumps(body).encode(),
                     headers={"Content-Type": "application/json", **headers})


def test_a_lone_surrogate_is_a_422_on_every_route_that_takes_text(c: httpx.Client) -> None:
    bad = "rag \ud800 tuning"
    ask = {"messages": [{"role": "user", "content": bad}]}
    for path in ("/v1/ask", "/v1/ask/stream", "/v1/chat/completions"):
        error = error_of(send_json(c, "POST", path, ask), 422, "invalid_request")
        assert "surrogate" in error["message"] and "messages.0.content" in error["message"]
    auth = AUTH["Authorization"]
    error_of(send_json(c, "PUT", "/v1/documents/notes", {"text": bad}, Authorization=auth),
             422, "invalid_request")
    reply = c.post("/v1/ask", json={"messages": [{"role": "user", "content": Q}]}).json()
    r = send_json(c, "POST", "/v1/feedback", {"rating": "up", "reply": reply, "comment": bad},
                  Authorization=auth)
    error_of(r, 422, "invalid_request")
    paired = {"messages": [{"role": "user", "content": Q + " \U0001f600"}]}  # escaped as a pair
    assert send_json(c, "POST", "/v1/ask", paired).status_code == 200


# ---- 7. one error shape --------------------------------------------------------------------
def test_options_head_and_odd_paths_answer_in_the_error_shape(c: httpx.Client) -> None:
    r = c.options("/v1/ask")
    assert r.status_code == 204 and "POST" in r.headers["allow"], r.headers
    assert set(c.options("/v1/documents/x").headers["allow"].split(", ")) >= {"GET", "PUT",
                                                                             "DELETE", "HEAD"}
    assert c.options("/").status_code == 204
    error_of(c.options("/v1/nothing-here"), 404, "not_found")
    error_of(c.get("/v1"), 404, "not_found")
    error_of(c.post("/v1"), 404, "not_found")
    error_of(c.get("/V1/documents"), 404, "not_found")
    error_of(c.post("/V1/ask", json={}), 404, "not_found")
    error_of(c.request("TRACE", "/v1/ask"), 405, "method_not_allowed")
    error_of(c.get("/no/such/page"), 404, "not_found")
    for path in ("/healthz", "/readyz", "/v1/documents", "/v1/search?q=rag", "/v1/models"):
        head, get = c.head(path), c.get(path)
        assert head.status_code == get.status_code == 200, (path, head.status_code)
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
    assert c.head("/v1/nothing").status_code == 404


def test_bad_utf8_and_over_deep_json_are_malformed_json(c: httpx.Client) -> None:
    headers = {"Content-Type": "application/json"}
    for body in (b'{"messages": [{"role": "user", "content": "caf\xe9"}]}',
                 b"[" * 100_000 + b"]" * 100_000):
        for path in ("/v1/ask", "/v1/chat/completions", "/v1/feedback"):
            error_of(c.post(path, content=body, headers=headers), 400, "malformed_json")
    error_of(c.put("/v1/documents/deep", content=b"[" * 100_000 + b"]" * 100_000,
                   headers={**headers, **AUTH}), 400, "malformed_json")


# ---- 5. bounded bodies, heads, feedback, keys; what /readyz shows ---------------------------
def test_the_pages_routes_are_bounded_like_the_apis(c: httpx.Client) -> None:
    big = b"x" * 300_000
    error_of(c.post("/gradio_api/upload", content=big,
                    headers={"Content-Type": "multipart/form-data; boundary=x"}),
             413, "body_too_large")
    error_of(c.post("/gradio_api/queue/join", content=big,
                    headers={"Content-Type": "application/json"}), 413, "body_too_large")


def test_request_heads_are_bounded_in_size(server: AdvisorServer, c: httpx.Client) -> None:
    answer = raw(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 2_000_000
                 + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    assert b'"headers_too_large"' in answer
    assert c.get("/healthz", headers={"X-Fine": "a" * 4000}).status_code == 200


def test_slow_heads_and_slow_bodies_are_cut_off(server: AdvisorServer) -> None:
    started = time.monotonic()
    answer = raw(server, b"POST /v1/ask HTTP/1.1\r\nHost: x\r\n")  # the head never ends
    assert answer.startswith(b"HTTP/1.1 408") and b'"request_timeout"' in answer, answer[:200]
    head = (b"POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{\"messages\"")
    answer = raw(server, head)  # the body never ends
    assert answer.startswith(b"HTTP/1.1 408") and b'"request_timeout"' in answer, answer[:200]
    assert time.monotonic() - started < 15, "each was cut off after ADVISOR_READ_TIMEOUT_S=2"


def test_feedback_is_bounded_in_size_and_rate_for_anonymous_clients(c: httpx.Client) -> None:
    reply = c.post("/v1/ask", json={"messages": [{"role": "user", "content": Q}]}).json()
    conversation = [{"role": "user", "content": "x" * 3000}] * 20  # 60 KB of conversation
    r = c.post("/v1/feedback", json={"rating": "up", "reply": reply, "conversation": conversation})
    error_of(r, 413, "feedback_too_large")
    for _ in range(3):
        assert c.post("/v1/feedback", json={"rating": "up", "reply": reply}).status_code == 201
    r = c.post("/v1/feedback", json={"rating": "up", "reply": reply})
    error_of(r, 429, "too_many_requests")
    assert 0 < int(r.headers["retry-after"]) <= 60
    r = c.post("/v1/feedback", json={"rating": "up", "reply": reply}, headers=AUTH)
    assert r.status_code == 201, "the key lifts the anonymous limit"


def test_wrong_keys_are_throttled_per_client(c: httpx.Client) -> None:
    for _ in range(4):
        r = c.delete("/v1/documents/x", headers={"Authorization": "Bearer wrong"})
        error_of(r, 401, "unauthorized")
    r = c.delete("/v1/documents/x", headers={"Authorization": "Bearer wrong"})
    error_of(r, 429, "too_many_auth_failures")
    assert 0 < int(r.headers["retry-after"]) <= 60
    error_of(c.delete("/v1/documents/x", headers=AUTH), 429, "too_many_auth_failures")


def test_readyz_shows_the_store_kind_not_its_path(server: AdvisorServer, c: httpx.Client) -> None:
    ready = c.get("/readyz").json()
    assert ready["store"] == "embedded" and str(server.data_dir) not in json.dumps(ready)


# ---- 6. start-up with the store down -------------------------------------------------------
def test_started_with_chroma_down_it_answers_503_then_ingests_without_a_probe(
    tmp_path: Path, fitted_data_dir: Path
) -> None:
    import shutil

    shutil.copytree(fitted_data_dir / "embedder", tmp_path / "data" / "embedder")
    chroma = ChromaServer(tmp_path / "chroma", free_port())
    app = AdvisorServer(tmp_path / "data", env={"ADVISOR_CHROMA_URL": chroma.url})
    ask = {"messages": [{"role": "user", "content": Q}]}
    try:
        app.launch()
        with httpx.Client(base_url=app.url, timeout=30) as c:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:  # alive: /healthz only, never /readyz
                try:
                    if c.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            error_of(c.post("/v1/ask", json=ask), 503, "store_unavailable")
            error_of(c.get("/v1/documents"), 503, "store_unavailable")
            chroma.start()
            deadline = time.monotonic() + 30
            while c.post("/v1/ask", json=ask).status_code == 503:
                assert time.monotonic() < deadline, "never ingested after the store came up"
                time.sleep(0.2)
            r = c.post("/v1/ask", json=ask)
            assert r.status_code == 200 and r.json()["covered"] and r.json()["citations"], r.text
            assert len(c.get("/v1/documents").json()) == 5
    finally:
        app.stop()
        chroma.stop()
