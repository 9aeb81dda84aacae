"""Bad input gets a clear 4xx in one JSON shape; writes need the key; limits hold; never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers.apps import API_KEY, copy_store, settings_for
from helpers.servers import free_port

from advisor.api import create_app
from advisor.config import Settings
from advisor.service import Advisor

AUTH = {"Authorization": f"Bearer {API_KEY}"}
Q = "Our catalogue changes daily and answers must cite it. RAG or fine-tuning?"


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def make_client(data_dir: Path, advisor: Advisor, **overrides: Any) -> TestClient:
    return TestClient(
        create_app(settings_for(data_dir, **overrides), advisor), raise_server_exceptions=True
    )


@pytest.fixture(scope="module")
def client(data_dir: Path, advisor: Advisor) -> Iterator[TestClient]:
    with make_client(data_dir, advisor, api_key=API_KEY) as c:
        yield c


def assert_error(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    error = r.json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


@pytest.mark.parametrize(
    ("messages", "code", "says"),
    [
        ([], "invalid_conversation", "empty"),
        ([user("   \n\t ")], "invalid_conversation", "empty"),
        ([user("x" * 4001)], "invalid_conversation", "4001 characters"),
        ([user("hi")] * 41, "invalid_conversation", "too many messages"),
        ([user(Q), {"role": "assistant", "content": "ok"}], "invalid_conversation", "last message"),
        ([{"role": "robot", "content": Q}], "invalid_request", "role"),
        ([{"role": "user"}], "invalid_request", "content"),
        ([{"role": "user", "content": 42}], "invalid_request", "string"),
        ("hello", "invalid_request", "list"),
    ],
)
def test_bad_conversations_are_422_with_a_clear_message(
    client: TestClient, messages: Any, code: str, says: str
) -> None:
    for path in ("/v1/ask", "/v1/ask/stream"):
        error = assert_error(client.post(path, json={"messages": messages}), 422, code)
        assert says in error["message"]


def test_validation_errors_carry_their_details(client: TestClient) -> None:
    error = assert_error(
        client.post("/v1/ask", json={"messages": [user(Q)], "k": 0}), 422, "invalid_request"
    )
    assert error["details"][0]["loc"] == ["body", "k"]
    assert_error(client.post("/v1/ask", json={}), 422, "invalid_request")
    assert_error(client.post("/v1/ask"), 422, "invalid_request")
    assert_error(client.post("/v1/ask", content=b'{"messages": []}'), 422, "invalid_request")


def test_malformed_json_is_400(client: TestClient) -> None:
    for body in (b"{", b'{"messages": [', b"\xff\xfe", b"nul"):
        assert_error(
            client.post("/v1/ask", content=body, headers={"Content-Type": "application/json"}),
            400,
            "malformed_json",
        )


def test_oversized_bodies_are_413_by_header_and_by_stream(client: TestClient) -> None:
    big = b'{"messages": [{"role": "user", "content": "' + b"a" * 300_000 + b'"}]}'
    r = client.post("/v1/ask", content=big, headers={"Content-Type": "application/json"})
    assert "body_too_large" == assert_error(r, 413)["code"]

    def chunked() -> Iterator[bytes]:  # no Content-Length: the limit is counted on the stream
        for i in range(0, len(big), 16_384):
            yield big[i : i + 16_384]

    r = client.post("/v1/ask", content=chunked(), headers={"Content-Type": "application/json"})
    assert_error(r, 413, "body_too_large")
    r = client.put(
        "/v1/documents/big", content=chunked(), headers={**AUTH, "Content-Type": "text/plain"}
    )
    assert_error(r, 413, "body_too_large")


def test_search_errors(client: TestClient) -> None:
    assert_error(client.get("/v1/search"), 422, "invalid_request")
    assert_error(client.get("/v1/search", params={"q": ""}), 422, "invalid_request")
    assert_error(client.get("/v1/search", params={"q": "   "}), 422, "empty_query")
    assert_error(client.get("/v1/search", params={"q": "rag", "k": 0}), 422)
    assert_error(client.get("/v1/search", params={"q": "rag", "k": "many"}), 422)
    assert_error(client.get("/v1/search", params={"q": "a" * 4001}), 422, "query_too_long")


def test_recommend_rejects_wrong_types(client: TestClient) -> None:
    assert_error(client.post("/v1/recommend", json={"labeled_examples": -1}), 422)
    assert_error(client.post("/v1/recommend", json={"deployment": "moon"}), 422)
    assert_error(client.post("/v1/recommend", json=[1, 2]), 422)
    r = client.post(
        "/v1/recommend",
        json={"requests_per_day": 1e308, "latency_p95_ms": 1e308, "labeled_examples": 10**18},
    )
    assert r.status_code == 200, r.text


def test_documents_errors(client: TestClient) -> None:
    assert_error(client.get("/v1/documents/no-such-doc"), 404, "document_not_found")
    assert_error(
        client.delete("/v1/documents/no-such-doc", headers=AUTH), 404, "document_not_found"
    )
    for bad in ("UPPER", "a..b", "-dash-first", "x" * 129, "sp ace"):
        assert_error(
            client.put(
                f"/v1/documents/{bad}",
                content="text",
                headers={**AUTH, "Content-Type": "text/plain"},
            ),
            422,
        )
    for tricky in ("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "a/../../b", "..", "%00"):
        r = client.put(
            f"/v1/documents/{tricky}",
            content="text",
            headers={**AUTH, "Content-Type": "text/plain"},
        )
        assert r.status_code in (404, 405, 422), (tricky, r.status_code, r.text)
        assert "error" in r.json()
    headers = {**AUTH, "Content-Type": "application/xml"}
    assert_error(client.put("/v1/documents/doc", content="<a/>", headers=headers), 415)
    headers = {**AUTH, "Content-Type": "text/plain"}
    assert_error(
        client.put("/v1/documents/doc", content="   ", headers=headers), 422, "invalid_document"
    )
    assert_error(
        client.put("/v1/documents/doc", content=b"\xff\xfe", headers=headers),
        422,
        "invalid_document",
    )
    assert_error(
        client.put(
            "/v1/documents/doc", content="{", headers={**AUTH, "Content-Type": "application/json"}
        ),
        400,
        "malformed_json",
    )
    assert_error(
        client.put("/v1/documents/doc", json={"title": "no text"}, headers=AUTH),
        422,
        "invalid_request",
    )


def test_document_over_the_character_limit_is_413(data_dir: Path, advisor: Advisor) -> None:
    with make_client(data_dir, advisor, api_key=API_KEY, max_document_chars=100) as c:
        r = c.put(
            "/v1/documents/long",
            content="word " * 50,
            headers={**AUTH, "Content-Type": "text/plain"},
        )
        assert "100" in assert_error(r, 413, "document_too_large")["message"]


def test_writes_are_disabled_without_a_key(data_dir: Path, advisor: Advisor) -> None:
    with make_client(data_dir, advisor) as c:
        for r in (
            c.put("/v1/documents/doc", content="t", headers={"Content-Type": "text/plain"}),
            c.put(
                "/v1/documents/doc",
                content="t",
                headers={"Content-Type": "text/plain", "Authorization": "Bearer anything"},
            ),
            c.delete("/v1/documents/rag-vs-fine-tuning-how-to-choose"),
        ):
            assert "ADVISOR_API_KEY" in assert_error(r, 403, "writes_disabled")["message"]
        assert c.get("/v1/documents").status_code == 200, "reads stay open"
        assert len(c.get("/v1/documents").json()) == 5


def test_writes_need_the_right_key(client: TestClient) -> None:
    headers = {"Content-Type": "text/plain"}
    r = client.put("/v1/documents/doc", content="t", headers=headers)
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    for wrong in ("Bearer nope", f"Bearer {API_KEY}x", f"Basic {API_KEY}", API_KEY):
        assert_error(
            client.put(
                "/v1/documents/doc", content="t", headers={**headers, "Authorization": wrong}
            ),
            401,
            "unauthorized",
        )
    assert_error(client.delete("/v1/documents/doc"), 401)


def test_reads_can_require_the_key(data_dir: Path, advisor: Advisor) -> None:
    with make_client(data_dir, advisor, api_key=API_KEY, require_key_for_reads=True) as c:
        assert_error(c.post("/v1/ask", json={"messages": [user(Q)]}), 401, "unauthorized")
        assert_error(c.get("/v1/search", params={"q": "rag"}), 401)
        assert_error(c.get("/v1/documents"), 401)
        assert_error(c.post("/v1/chat/completions", json={"messages": [user(Q)]}), 401)
        assert c.post("/v1/ask", json={"messages": [user(Q)]}, headers=AUTH).status_code == 200
        assert c.get("/healthz").status_code == 200 and c.get("/readyz").status_code == 200
    with make_client(data_dir, advisor, require_key_for_reads=True) as c:
        assert_error(c.get("/v1/documents"), 403, "reads_disabled")


def test_cors_is_off_unless_origins_are_configured(data_dir: Path, advisor: Advisor) -> None:
    preflight = {"Origin": "https://chat.example", "Access-Control-Request-Method": "POST"}
    with make_client(data_dir, advisor) as c:
        r = c.options("/v1/ask", headers=preflight)
        assert "access-control-allow-origin" not in r.headers
        assert (
            "access-control-allow-origin" not in c.get("/v1/documents", headers=preflight).headers
        )
    with make_client(data_dir, advisor, cors_origins=["https://chat.example"]) as c:
        r = c.options("/v1/ask", headers=preflight)
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "https://chat.example"
        r = c.options("/v1/ask", headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


def test_unknown_routes_and_methods(client: TestClient) -> None:
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    assert_error(client.get("/v1/ask"), 405, "method_not_allowed")
    assert_error(client.patch("/v1/documents/x"), 405)


def test_openai_compat_errors(client: TestClient) -> None:
    path = "/v1/chat/completions"
    assert_error(client.post(path, json={"messages": []}), 422)
    assert_error(client.post(path, json={"messages": [{"role": "tool", "content": "x"}]}), 422)
    image = [{"type": "image_url", "image_url": {"url": "http://x/y.png"}}]
    assert_error(client.post(path, json={"messages": [{"role": "user", "content": image}]}), 422)
    assert_error(client.post(path, json={"messages": [user(Q)], "n": 2}), 422)
    only_system = {"messages": [{"role": "system", "content": "hi"}]}
    for stream in (False, True):
        r = client.post(path, json={**only_system, "stream": stream})
        assert "last message" in assert_error(r, 422, "invalid_conversation")["message"]
    r = client.post(path, json={"messages": [{"role": "system", "content": ""}, user(Q)]})
    assert r.status_code == 200, "an empty system prompt is dropped, not an error"


def test_store_down_is_503_and_readyz_says_so(tmp_path: Path, fitted_data_dir: Path) -> None:
    data = copy_store(fitted_data_dir, tmp_path / "data")
    settings: Settings = settings_for(data, chroma_url=f"http://127.0.0.1:{free_port()}")
    with TestClient(create_app(settings)) as c:  # builds its own Advisor: the store is down
        assert c.get("/healthz").status_code == 200
        error = assert_error(c.get("/readyz"), 503, "store_unavailable")
        assert "unreachable" in error["message"]
        assert c.get("/readyz").headers["retry-after"] == "5"
        assert_error(c.post("/v1/ask", json={"messages": [user(Q)]}), 503, "store_unavailable")
        assert_error(
            c.post("/v1/ask/stream", json={"messages": [user(Q)]}), 503, "store_unavailable"
        )
        assert_error(c.get("/v1/search", params={"q": "rag"}), 503, "store_unavailable")
        assert_error(c.get("/v1/documents"), 503, "store_unavailable")
