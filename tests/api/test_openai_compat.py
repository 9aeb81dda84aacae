"""The official ``openai`` client against ``advisor serve``'s /v1/chat/completions."""

from __future__ import annotations

from pathlib import Path

import openai
import pytest
from helpers.servers import AdvisorServer, shared_server
from openai import OpenAI

from advisor.schemas.reply import AdvisorReply

pytestmark = pytest.mark.server

QUESTION = (
    "Our product catalogue changes every day and answers must quote the current "
    "catalogue. Should we fine-tune or use RAG?"
)


@pytest.fixture(scope="module")
def client(request: pytest.FixtureRequest, fitted_data_dir: Path) -> OpenAI:
    server: AdvisorServer = shared_server(request, fitted_data_dir)
    return OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0, timeout=30)


def test_non_streaming_completion(client: OpenAI) -> None:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": QUESTION},
        ],
        temperature=0.3,
    )
    assert completion.model == "gpt-4o-mini"
    assert completion.object == "chat.completion"
    message = completion.choices[0].message
    assert message.role == "assistant" and message.content
    assert completion.choices[0].finish_reason == "stop"
    reply = AdvisorReply.model_validate(completion.model_extra["advisor"])
    assert reply.answer == message.content
    assert reply.recommendation.approach == "rag" and reply.citations
    assert completion.usage is not None and completion.usage.total_tokens > 0


def test_streaming_completion(client: OpenAI) -> None:
    stream = client.chat.completions.create(
        model="advisor",
        stream=True,
        stream_options={"include_usage": True},
        messages=[{"role": "user", "content": QUESTION}],
    )
    chunks = list(stream)
    assert chunks and all(c.object == "chat.completion.chunk" for c in chunks)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    final = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(final) == 1
    reply = AdvisorReply.model_validate(final[0].model_extra["advisor"])
    assert text.strip() and reply.recommendation.approach == "rag"
    if reply.invalid_citations_removed == 0:
        assert text == reply.answer
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens > 0


def test_multi_turn_and_model_listing(client: OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["advisor"]
    first = client.chat.completions.create(
        model="advisor", messages=[{"role": "user", "content": QUESTION}]
    )
    second = client.chat.completions.create(
        model="advisor",
        messages=[
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": first.choices[0].message.content or ""},
            {
                "role": "user",
                "content": "We also have 20000 labelled examples and need strict JSON.",
            },
        ],
    )
    assert second.model_extra["advisor"]["situation"]["labeled_examples"] == 20000


def test_errors_surface_as_openai_exceptions(client: OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as info:
        client.chat.completions.create(
            model="advisor", messages=[{"role": "user", "content": "  "}]
        )
    assert "empty" in str(info.value)
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(
            model="advisor", stream=True, messages=[{"role": "assistant", "content": "hi"}]
        )
