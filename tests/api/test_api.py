"""The REST API in-process: every endpoint's happy path and the shapes it promises."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers.apps import API_KEY, json_events, settings_for, sse_events

from advisor.api import create_app
from advisor.schemas.decision import Recommendation
from advisor.schemas.reply import AdvisorReply
from advisor.schemas.retrieval import SearchResult
from advisor.service import Advisor

WIKI = (
    "We answer customer support questions from an internal wiki that changes weekly, "
    "and every answer must cite its source. What should we build?"
)
ASK = {"messages": [{"role": "user", "content": WIKI}]}
AUTH = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture(scope="module")
def client(data_dir: Path, advisor: Advisor) -> Iterator[TestClient]:
    app = create_app(settings_for(data_dir, api_key=API_KEY), advisor)
    with TestClient(app) as c:
        yield c


def test_ask_returns_a_cited_reply_and_a_recommendation(client: TestClient) -> None:
    r = client.post("/v1/ask", json=ASK)
    assert r.status_code == 200, r.text
    reply = AdvisorReply.model_validate(r.json())
    assert reply.recommendation.approach == "rag"
    assert reply.covered and reply.citations
    for c in reply.citations:
        assert f"[{c.n}]" in reply.answer
        assert c.doc_id and c.title and c.text


def test_ask_takes_the_whole_conversation_and_k(client: TestClient) -> None:
    first = client.post("/v1/ask", json=ASK).json()
    messages = [
        *ASK["messages"],
        {"role": "assistant", "content": first["answer"]},
        {"role": "user", "content": "We also have 5000 labelled examples and strict JSON output."},
    ]
    r = client.post("/v1/ask", json={"messages": messages, "k": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["situation"]["labeled_examples"] == 5000
    assert body["changes"], "a follow-up reports what it changed"


def test_ask_stream_sends_deltas_then_the_whole_reply(client: TestClient) -> None:
    with client.stream("POST", "/v1/ask/stream", json=ASK) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = list(r.iter_lines())
    events = sse_events(lines)
    names = [e for e, _ in events]
    assert names[-1] == "reply" and names.count("reply") == 1
    assert set(names[:-1]) == {"delta"} and len(names) > 2
    reply = AdvisorReply.model_validate_json(events[-1][1])
    deltas = "".join(d["text"] for d in json_events(lines, "delta"))
    if reply.invalid_citations_removed == 0:
        assert deltas == reply.answer
    assert reply.answer == client.post("/v1/ask", json=ASK).json()["answer"]


def test_recommend_runs_the_decision_tool(client: TestClient) -> None:
    r = client.post("/v1/recommend", json={"needs_live_data": True, "needs_actions": True})
    assert r.status_code == 200, r.text
    assert Recommendation.model_validate(r.json()).approach == "tool_calling"
    assert client.post("/v1/recommend", json={}).status_code == 200, "every field is optional"


def test_search_returns_passages_with_citation_metadata(client: TestClient) -> None:
    r = client.get("/v1/search", params={"q": "fine-tune a small model for on-device use", "k": 3})
    assert r.status_code == 200, r.text
    result = SearchResult.model_validate(r.json())
    assert len(result.passages) == 3 and result.relevant
    p = result.passages[0]
    assert p.chunk_id.startswith(p.doc_id) or p.doc_id
    assert p.end > p.start and p.title


def test_documents_list_put_replace_delete(client: TestClient) -> None:
    docs = client.get("/v1/documents").json()
    assert len(docs) == 5 and all(d["chunks"] > 0 for d in docs)

    md = "---\ntitle: Zebra notes\nauthor: Z. Ebra\n---\n# Zebra\n\nZebra stripes confuse quokkas."
    r = client.put(
        "/v1/documents/zebra-notes",
        content=md,
        headers={**AUTH, "Content-Type": "text/markdown; charset=utf-8"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "added" and r.json()["title"] == "Zebra notes"
    assert (
        client.put(
            "/v1/documents/zebra-notes",
            content=md,
            headers={**AUTH, "Content-Type": "text/markdown"},
        ).json()["status"]
        == "unchanged"
    )
    found = client.get("/v1/search", params={"q": "zebra quokkas", "k": 1}).json()["passages"]
    assert found[0]["doc_id"] == "zebra-notes"

    r = client.put(
        "/v1/documents/zebra-notes",
        headers=AUTH,
        json={"text": "Quokkas and wombats only now.", "title": "Marsupials", "format": "text"},
    )
    assert r.status_code == 200 and r.json()["status"] == "replaced", r.text
    assert client.get("/v1/documents/zebra-notes").json()["title"] == "Marsupials"
    found = client.get("/v1/search", params={"q": "wombats", "k": 1}).json()["passages"]
    assert found[0]["doc_id"] == "zebra-notes" and "wombats" in found[0]["text"]

    r = client.put(
        "/v1/documents/plain-one",
        params={"title": "Plain"},
        content="Just text.",
        headers={**AUTH, "Content-Type": "text/plain"},
    )
    assert r.status_code == 201 and r.json()["title"] == "Plain"

    for doc_id in ("zebra-notes", "plain-one"):
        assert client.delete(f"/v1/documents/{doc_id}", headers=AUTH).status_code == 204
        assert client.delete(f"/v1/documents/{doc_id}", headers=AUTH).status_code == 404
        assert client.get(f"/v1/documents/{doc_id}").status_code == 404
    assert len(client.get("/v1/documents").json()) == 5


def test_chat_completions_is_openai_shaped_with_the_reply_attached(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions",
        json={
            "model": "my-front-end-model",
            "temperature": 0.2,
            "messages": [
                {"role": "system", "content": "You are helpful."},
                {"role": "user", "content": [{"type": "text", "text": WIKI}]},
            ],
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"] == "my-front-end-model"
    assert body["id"].startswith("chatcmpl-")
    choice = body["choices"][0]
    assert choice["message"]["role"] == "assistant" and choice["finish_reason"] == "stop"
    reply = AdvisorReply.model_validate(body["advisor"])
    assert choice["message"]["content"] == reply.answer
    assert (
        body["usage"]["total_tokens"]
        == body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
    )


def test_chat_completions_stream_ends_in_done_and_carries_the_reply(client: TestClient) -> None:
    with client.stream(
        "POST",
        "/v1/chat/completions",
        json={
            "model": "advisor",
            "stream": True,
            "stream_options": {"include_usage": True},
            "messages": [{"role": "user", "content": WIKI}],
        },
    ) as r:
        assert r.status_code == 200
        lines = list(r.iter_lines())
    data = [d for _, d in sse_events(lines)]
    assert data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    final = [c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"] == "stop"]
    assert len(final) == 1 and "advisor" in final[0]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    reply = AdvisorReply.model_validate(final[0]["advisor"])
    if reply.invalid_citations_removed == 0:
        assert text == reply.answer
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0


def test_models_lists_the_advisor(client: TestClient) -> None:
    assert client.get("/v1/models").json()["data"][0]["id"] == "advisor"


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["chunks"] > 0


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/v1/ask",
        "/v1/ask/stream",
        "/v1/recommend",
        "/v1/search",
        "/v1/documents",
        "/v1/documents/{doc_id}",
        "/v1/chat/completions",
        "/v1/feedback",
        "/healthz",
        "/readyz",
    ):
        assert path in paths, path
    assert set(paths["/v1/documents/{doc_id}"]) == {"get", "put", "delete"}
    assert "ErrorResponse" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_feedback_is_stored_with_its_reply(client: TestClient, data_dir: Path) -> None:
    from advisor.api.feedback_store import FeedbackStore

    reply = client.post("/v1/ask", json=ASK).json()
    r = client.post(
        "/v1/feedback",
        json={
            "rating": "down",
            "comment": "  too long  ",
            "conversation": ASK["messages"],
            "reply": reply,
        },
    )
    assert r.status_code == 201, r.text
    record = FeedbackStore(data_dir / "feedback.sqlite3").get(r.json()["id"])
    assert record is not None and record.rating == "down" and record.comment == "too long"
    assert record.reply.answer == reply["answer"]
    assert record.conversation[0].content == WIKI
    r = client.post("/v1/feedback", json={"rating": "up", "reply": reply})
    assert r.status_code == 201 and r.json()["id"] > record.id, "comment and conversation optional"


def test_feedback_rejects_bad_ratings(client: TestClient) -> None:
    reply = client.post("/v1/ask", json=ASK).json()
    for body in (
        {"rating": "meh", "reply": reply},
        {"rating": "up"},
        {"rating": "up", "reply": {"answer": "x"}},
        {"rating": "up", "reply": reply, "comment": "x" * 4001},
    ):
        r = client.post("/v1/feedback", json=body)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request", r.text
