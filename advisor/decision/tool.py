"""LangChain wrapper around `decide` (thin: the rules live in rules.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advisor.decision.engine import decide
from advisor.schemas.decision import Situation

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool

TOOL_NAME = "recommend_llm_approach"
TOOL_DESCRIPTION = (
    "Decide whether a team building with LLMs should use prompting, RAG (retrieval), "
    "fine-tuning, a hybrid (RAG for facts + fine-tuning for behaviour) or tool calling "
    "(live data, actions, exact computation). Pass every fact you know about their situation "
    "and leave unknown fields out (unknown is fine). Returns a recommendation: approach, "
    "confidence, reasons citing expert articles, anti-pattern warnings, next steps, "
    "follow-up questions to ask (most decisive first), alternatives with the condition under "
    "which each would win, a cost sketch when volume is known, and where the articles disagree. "
    "Deterministic: the same facts always give the same answer."
)


def _run(**facts: Any) -> dict[str, Any]:
    return decide(Situation(**facts)).model_dump(mode="json")


def decision_tool() -> StructuredTool:
    """A StructuredTool with args_schema=Situation that returns the Recommendation as a dict."""
    from langchain_core.tools import StructuredTool

    return StructuredTool.from_function(
        func=_run,
        name=TOOL_NAME,
        description=TOOL_DESCRIPTION,
        args_schema=Situation,
    )
