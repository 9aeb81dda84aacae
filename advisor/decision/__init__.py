"""The decision tool: a pure rule table over a typed Situation (no I/O, no LLM).

May import: ``advisor.schemas`` only."""

from advisor.decision.engine import decide
from advisor.decision.tool import decision_tool

__all__ = ["decide", "decision_tool"]
