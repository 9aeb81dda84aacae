"""The real-model path with a real ChatOpenAI whose requests the test answers the way
llama.cpp's server does (tests/helpers/openai_wire.py): structured output that adapts to the
server, the answer check and its announced fallback, 503 when the model is gone, streaming of
the model's own deltas, and the reply saying who read and who wrote."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from helpers.openai_wire import Wire, completion, kind, llama_like, stream

from advisor.llm import ModelUnavailable
from advisor.llm.extractor import SituationExtractor, refused_methods
from advisor.schemas.reply import ChatMessage
from advisor.service import Advisor

pytest.importorskip("langchain_openai")

WIKI = "We answer support questions from a wiki that changes weekly and must cite sources."
SITUATION = {"knowledge_change_frequency": "weekly", "needs_private_knowledge": True,
             "needs_citations": True}


def user(text: str) -> ChatMessage:
    return ChatMessage(role="user", content=text)


def advisor_on(settings: Any, wire: Wire, **model: Any) -> Advisor:
    return Advisor(settings, llm=wire.chat_model(**model))


# ---- structured output ----------------------------------------------------------------------
def test_auto_moves_past_a_refused_json_schema_once_and_remembers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    wire = Wire(llama_like(SITUATION, "unused"))
    llm = wire.chat_model(base_url="http://llama-refuses.test/v1")
    with caplog.at_level(logging.INFO, logger="advisor.llm.extractor"):
        extractor = SituationExtractor(llm)
        first = extractor.situations([user(WIKI)])
        second = SituationExtractor(llm).situations([user("We also need it in French.")])
    assert first[1].knowledge_change_frequency == "weekly" and first[2] == "llm"
    assert second[2] == "llm" and second[3] == []
    # json_schema tried once in the process, then the named tool call every time
    assert wire.kinds() == ["json_schema", "function_calling", "function_calling"]
    assert wire.requests[1]["tool_choice"]["function"]["name"] == "Situation"
    assert refused_methods(llm) == {"json_schema"}
    lines = [r for r in caplog.records if "refused structured output" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_invalid_output_is_retried_once_with_the_error_then_the_offline_reader() -> None:
    bad = {"knowledge_change_frequency": "fortnightly"}  # not one of the labels

    def handle(body: dict[str, Any]) -> httpx.Response:
        return completion(tool_args=bad)

    wire = Wire(handle)
    extractor = SituationExtractor(wire.chat_model(), "function_calling")
    _, situation, source, reasons = extractor.situations([user(WIKI)])
    assert source == "offline_fallback" and situation.knowledge_change_frequency == "weekly"
    assert len(wire.requests) == 2  # the first answer and one retry
    retry = wire.requests[1]["messages"][-1]["content"]
    assert "fortnightly" in retry and "knowledge_change_frequency" in retry
    assert reasons and "offline reader" in reasons[0]


def test_a_retry_that_validates_is_the_models() -> None:
    answers = iter([completion(tool_args={"labeled_examples": -5}),
                    completion(tool_args={"labeled_examples": 5000})])
    wire = Wire(lambda body: next(answers))
    _, situation, source, _ = SituationExtractor(wire.chat_model(), "function_calling").situations(
        [user("We have 5,000 labeled examples.")])
    assert source == "llm" and situation.labeled_examples == 5000


def test_json_mode_sends_the_schema_as_llama_cpp_constrains_it() -> None:
    wire = Wire(llama_like(SITUATION, "unused"))
    _, situation, source, _ = SituationExtractor(wire.chat_model(), "json_mode").situations(
        [user(WIKI)])
    assert source == "llm" and situation.needs_citations is True
    body = wire.requests[0]
    assert body["response_format"]["type"] == "json_object"
    assert "knowledge_change_frequency" in body["response_format"]["schema"]["properties"]
    assert "knowledge_change_frequency" in body["messages"][0]["content"]  # and in the prompt


def test_a_server_that_refuses_every_form_gets_the_offline_reader() -> None:
    wire = Wire(lambda body: httpx.Response(400, json={"error": {"message": "unsupported"}}))
    llm = wire.chat_model(base_url="http://refuses-all.test/v1")
    _, situation, source, reasons = SituationExtractor(llm).situations([user(WIKI)])
    assert source == "offline_fallback" and situation.knowledge_change_frequency == "weekly"
    assert wire.kinds() == ["json_schema", "function_calling", "json_mode"]
    assert "refused every" in reasons[0]


# ---- the answer check -------------------------------------------------------------------------
def test_a_cited_model_answer_ships_and_says_so(shared_settings: Any) -> None:
    wire = Wire(llama_like(SITUATION, "Use RAG: the wiki changes weekly [1]. Cite it [2] [99]."))
    reply = advisor_on(shared_settings, wire).ask([user(WIKI)])
    assert (reply.extraction, reply.composition) == ("llm", "llm")
    assert reply.invalid_citations_removed == 1 and "[99]" not in reply.answer
    assert [c.n for c in reply.citations] == [1, 2] and reply.fallback_reasons == []
    assert reply.model == "smollm2"


@pytest.mark.parametrize(("answer", "finish", "why"), [
    ("The advisor suggested using RAG for production AI.", "stop", "cited no supplied passage"),
    ("Only a fake source [42].", "stop", "cited no supplied passage"),
    ("   ", "stop", "empty"),
    ("RAG [1] " * 40, "length", "token bound"),
])
def test_an_answer_that_fails_the_check_falls_back_to_the_offline_answer(
    shared_settings: Any, answer: str, finish: str, why: str
) -> None:
    def handle(body: dict[str, Any]) -> httpx.Response:
        if kind(body) == "compose":
            assert body["stream"] is True  # ask streams a real model underneath too
            return stream([answer], finish_reason=finish)
        return llama_like(SITUATION, "")(body)

    reply = advisor_on(shared_settings, Wire(handle)).ask([user(WIKI)])
    assert not reply.answer_revised  # nothing was shown before this answer
    assert reply.composition == "offline_fallback" and reply.extraction == "llm"
    assert any(why in r for r in reply.fallback_reasons), reply.fallback_reasons
    assert reply.citations and reply.answer.strip()  # the offline composer's, cited
    assert not answer.strip() or answer.strip()[:40] not in reply.answer
    assert {c.n for c in reply.citations} <= set(range(1, 30))


def test_compose_has_a_token_bound_and_a_timeout(shared_settings: Any) -> None:
    from advisor.llm import factory, make_chat_model

    factory.ALLOW_MODEL_REQUESTS = True
    llm = make_chat_model("openai:smollm2", base_url="http://127.0.0.1:9/v1", timeout_s=42.0,
                          max_tokens=321)
    assert llm.max_tokens == 321 and llm.request_timeout == 42.0 and llm.max_retries == 0
    assert llm.openai_api_base == "http://127.0.0.1:9/v1"  # no OPENAI_API_KEY needed for it
    from langchain_core.messages import HumanMessage

    payload = llm._get_request_payload([HumanMessage("hi")])
    # llama-cpp-python's server reads max_tokens only; hosted OpenAI wants max_completion_tokens
    assert payload["max_completion_tokens"] == 321 and payload["extra_body"] == {"max_tokens": 321}
    hosted = make_chat_model("openai:gpt-4o-mini", api_key="sk-test", max_tokens=321)
    assert "extra_body" not in hosted._get_request_payload([HumanMessage("hi")])
    wire = Wire(llama_like(SITUATION, "RAG [1]."))
    advisor_on(shared_settings, wire, max_tokens=123).ask([user(WIKI)])
    compose = next(b for b in wire.requests if kind(b) == "compose")
    assert 123 in (compose.get("max_tokens"), compose.get("max_completion_tokens"))


# ---- model unavailable ------------------------------------------------------------------------
class Switch:
    """A model server that can be taken down and brought back."""

    def __init__(self) -> None:
        self.up = True
        self.inner = llama_like(SITUATION, ["Use RAG ", "for the wiki [1]", "."])

    def __call__(self, body: dict[str, Any]) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("connection refused")
        return self.inner(body)


def test_a_model_that_is_down_is_503_and_the_service_recovers(shared_settings: Any) -> None:
    from advisor.api import create_app

    switch = Switch()
    advisor = advisor_on(shared_settings, Wire(switch))
    app = create_app(shared_settings, advisor=advisor)
    body = {"messages": [{"role": "user", "content": WIKI}]}
    with TestClient(app) as client:
        switch.up = False
        r = client.post("/v1/ask", json=body)
        assert r.status_code == 503 and r.json()["error"]["code"] == "model_unavailable"
        assert r.headers["retry-after"] == "5"
        s = client.post("/v1/ask/stream", json=body)
        assert s.status_code == 503 and s.json()["error"]["code"] == "model_unavailable"
        o = client.post("/v1/chat/completions", json={"messages": body["messages"]})
        assert o.status_code == 503
        switch.up = True
        r = client.post("/v1/ask", json=body)
        assert r.status_code == 200 and r.json()["composition"] == "llm"


def test_a_timeout_is_model_unavailable(shared_settings: Any) -> None:
    def handle(body: dict[str, Any]) -> httpx.Response:
        if kind(body) == "compose":
            raise httpx.ReadTimeout("timed out")
        return llama_like(SITUATION, "")(body)

    settings = shared_settings.model_copy(update={"llm_timeout_s": 7.0})
    with pytest.raises(ModelUnavailable, match="within 7 s"):
        advisor_on(settings, Wire(handle)).ask([user(WIKI)])


# ---- streaming ----------------------------------------------------------------------------------
def test_stream_sends_the_models_own_deltas(shared_settings: Any) -> None:
    pieces = ["Use ", "RAG: ", "the wiki ", "changes [1]", "."]
    wire = Wire(llama_like(SITUATION, pieces))
    events = list(advisor_on(shared_settings, wire).stream([user(WIKI)]))
    assert [e.text for e in events if e.type == "delta"] == pieces
    reply = events[-1].reply
    assert reply is not None and reply.answer == "".join(pieces) and not reply.answer_revised
    assert wire.requests[-1]["stream"] is True


def test_a_streamed_answer_that_fails_the_check_is_replaced_and_says_so(
    shared_settings: Any,
) -> None:
    pieces = ["Fine-tuning ", "is ", "great."]
    events = list(advisor_on(shared_settings, Wire(llama_like(SITUATION, pieces))).stream(
        [user(WIKI)]))
    reply = events[-1].reply
    assert reply is not None and reply.answer_revised and reply.composition == "offline_fallback"
    assert reply.answer != "".join(pieces) and reply.citations


def test_sse_reply_event_carries_the_revision(shared_settings: Any) -> None:
    from advisor.api import create_app

    advisor = advisor_on(shared_settings, Wire(llama_like(SITUATION, ["No ", "sources."])))
    with TestClient(create_app(shared_settings, advisor=advisor)) as client:
        r = client.post("/v1/ask/stream", json={"messages": [{"role": "user", "content": WIKI}]})
    reply_data = r.text.split("event: reply\ndata: ", 1)[1].split("\n\n", 1)[0]
    reply = json.loads(reply_data)
    assert reply["answer_revised"] is True and reply["composition"] == "offline_fallback"


def test_offline_replies_say_offline(shared_settings: Any) -> None:
    reply = Advisor(shared_settings).ask([user(WIKI)])
    assert (reply.extraction, reply.composition, reply.fallback_reasons) == ("offline", "offline", [])
    events = list(Advisor(shared_settings).stream([user(WIKI)]))
    assert events[-1].reply is not None and not events[-1].reply.answer_revised


def test_stream_wire_helper_parses(shared_settings: Any) -> None:
    # the scripted stream is what the openai SDK reads as a stream (guards the helper itself)
    wire = Wire(lambda body: stream(["a", "b"]))
    assert "".join(c.text for c in wire.chat_model().stream("hi")) == "ab"


def test_an_answer_still_being_written_at_the_time_bound_is_replaced(shared_settings: Any) -> None:
    pieces = [f"word{i} " for i in range(300)]
    wire = Wire(llama_like(SITUATION, pieces))
    settings = shared_settings.model_copy(update={"llm_timeout_s": 0.001})
    reply = advisor_on(settings, wire).ask([user(WIKI)])
    assert reply.composition == "offline_fallback"
    assert "still writing after ADVISOR_LLM_TIMEOUT_S" in reply.fallback_reasons[-1]
