"""The chat-model factory: offline by default, clear errors for what cannot work."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage

from advisor.config import Settings
from advisor.llm import LLMConfigError, OfflineChatModel, factory, make_chat_model
from advisor.schemas.decision import Situation


def test_offline_is_the_default() -> None:
    assert isinstance(make_chat_model("offline"), OfflineChatModel)
    assert isinstance(make_chat_model(""), OfflineChatModel)


@pytest.mark.parametrize("spec", ["gpt-4o", "openai:", ":gpt-4o"])
def test_malformed_spec(spec: str) -> None:
    with pytest.raises(LLMConfigError, match="provider:model"):
        make_chat_model(spec)


def test_real_models_are_refused_in_tests() -> None:
    with pytest.raises(LLMConfigError, match="disabled"):
        make_chat_model("openai:gpt-4o-mini")


def test_missing_package_and_missing_key_are_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(factory, "ALLOW_MODEL_REQUESTS", True)
    with pytest.raises(LLMConfigError, match=r"pip install 'advisor\[nosuch\]'"):
        make_chat_model("nosuch:model-1")
    monkeypatch.setitem(factory.PROVIDERS, "fakeprov", ("json", "fake", "FAKEPROV_API_KEY"))
    monkeypatch.delenv("FAKEPROV_API_KEY", raising=False)
    with pytest.raises(LLMConfigError, match="FAKEPROV_API_KEY"):
        make_chat_model("fakeprov:model-1")


def test_offline_model_structured_output_and_tools_share_the_real_code_path() -> None:
    from advisor.decision import decision_tool

    model = OfflineChatModel()
    situation = model.with_structured_output(Situation).invoke(
        "We have 5,000 labeled examples and need strict JSON at 40,000 calls a day."
    )
    assert isinstance(situation, Situation) and situation.labeled_examples == 5000
    tool = decision_tool()
    message = model.bind_tools([tool]).invoke([HumanMessage("Our phone app has no connectivity.")])
    call = message.tool_calls[0]
    assert call["name"] == tool.name
    result = tool.invoke(call["args"])
    assert result["approach"] == "fine_tuning" if isinstance(result, dict) else True
    assert len(model.history) == 2


def test_offline_model_replays_scripted_responses_and_records_prompts() -> None:
    model = OfflineChatModel(responses=["first", "second"])
    assert model.invoke("a").text == "first"
    assert model.invoke("b").text == "second"
    assert [h[-1].content for h in model.history] == ["a", "b"]


def test_the_served_offline_models_history_stays_bounded(shared_settings: Settings) -> None:
    from advisor.schemas.reply import ChatMessage
    from advisor.service import Advisor

    advisor = Advisor(shared_settings)  # the model ADVISOR_LLM=offline gives every user
    assert isinstance(advisor.llm, OfflineChatModel)
    for i in range(40):  # two model calls an ask: extraction, then the answer
        text = f"Ticket {i}: our wiki changes weekly and answers must cite it. RAG?"
        advisor.ask([ChatMessage(role="user", content=text)])
    history = advisor.llm.history
    assert len(history) == 16, f"{len(history)} prompts kept: every prompt of every user"
    assert "Ticket 39:" in str(history[-1][-1].content)
    silent = OfflineChatModel(max_history=0, responses=["ok"])
    assert silent.invoke("a").text == "ok" and silent.history == []
