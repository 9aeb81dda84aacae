"""The LangChain tool is a thin wrapper: same answer as decide(), through tool.invoke."""

from __future__ import annotations

import pytest
from langchain_core.tools import BaseTool
from pydantic import ValidationError

from advisor.decision import decide, decision_tool
from advisor.schemas.decision import Recommendation, Situation


def test_tool_has_situation_schema_and_a_description_for_the_llm() -> None:
    tool = decision_tool()
    assert isinstance(tool, BaseTool)
    assert tool.args_schema is Situation
    assert set(tool.args) == set(Situation.model_fields)
    for word in ("prompting", "RAG", "fine-tuning", "hybrid", "tool calling", "unknown"):
        assert word in tool.description
    assert "description" in tool.args["labeled_examples"]


def test_invoke_returns_the_same_recommendation_as_decide() -> None:
    tool = decision_tool()
    args = {
        "knowledge_change_frequency": "weekly",
        "tone_requirement": True,
        "requests_per_day": 40000,
    }
    out = tool.invoke(args)
    assert isinstance(out, dict)
    assert Recommendation.model_validate(out) == decide(Situation(**args))
    assert out["approach"] == "hybrid"
    assert out["cost_sketch"]["requests_per_day"] == 40000


def test_invoke_with_nothing_known_gives_a_low_confidence_answer_and_questions() -> None:
    out = decision_tool().invoke({})
    assert out["approach"] == "prompting"
    assert out["confidence"] < 0.4
    assert out["follow_up_questions"]


def test_invoke_as_a_tool_call_from_a_model() -> None:
    tool = decision_tool()
    message = tool.invoke(
        {"type": "tool_call", "id": "call_1", "name": tool.name, "args": {"needs_live_data": True}}
    )
    assert message.tool_call_id == "call_1"
    assert "tool_calling" in str(message.content)


def test_invalid_arguments_are_rejected_by_the_schema() -> None:
    with pytest.raises(ValidationError):
        decision_tool().invoke({"deployment": "mars"})
