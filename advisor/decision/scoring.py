"""Add up the rule table for a situation and resolve the totals into one approach."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from advisor.decision.rules import (
    HYBRID_BEHAVIOUR_MIN,
    HYBRID_RAG_MIN,
    PROMPTING_BASELINE,
    RULES,
    SIDE_NEED_MARGIN,
    SIDE_TOOL_RULES,
    TOOL_THRESHOLD,
    Rule,
    fine_tuning_set_holds,
)
from advisor.schemas.decision import Approach

# Order used to break ties: the simpler approach wins.
SIMPLE_FIRST: tuple[Approach, ...] = ("prompting", "rag", "fine_tuning")


@dataclass(frozen=True)
class Scores:
    prompting: float
    rag: float
    fine_tuning: float
    tool_calling: float
    behaviour: float  # fine-tuning points from behaviour + readiness rows
    behaviour_signal: bool  # at least one behaviour row pushes towards fine-tuning
    fired: tuple[Rule, ...]
    fine_tuning_set: bool  # the article's fine-tuning set holds (``fine_tuning_set_holds``)

    def of(self, approach: Approach) -> float:
        if approach == "hybrid":
            return min(self.rag, self.behaviour) if self.hybrid_holds else 0.0
        return float(getattr(self, approach))

    @property
    def hybrid_holds(self) -> bool:
        return (
            self.rag >= HYBRID_RAG_MIN
            and self.behaviour_signal
            and self.behaviour >= HYBRID_BEHAVIOUR_MIN
            and self.fine_tuning_set
        )

    def as_dict(self) -> dict[str, float]:
        return {
            "prompting": round(self.prompting, 3),
            "rag": round(self.rag, 3),
            "fine_tuning": round(self.fine_tuning, 3),
            "hybrid": round(self.of("hybrid"), 3),
            "tool_calling": round(self.tool_calling, 3),
            "behaviour": round(self.behaviour, 3),
        }


def score(facts: Mapping[str, object]) -> Scores:
    """Sum the votes of every rule whose condition holds."""
    totals: dict[str, float] = {
        "prompting": PROMPTING_BASELINE,
        "rag": 0.0,
        "fine_tuning": 0.0,
        "tool_calling": 0.0,
    }
    behaviour = 0.0
    signal = False
    fired: list[Rule] = []
    for rule in RULES:
        if not rule.when.holds(facts):
            continue
        fired.append(rule)
        for approach, points in rule.votes.items():
            totals[approach] += points
        ft_points = rule.votes.get("fine_tuning", 0.0)
        if rule.axis in ("behaviour", "readiness"):
            behaviour += ft_points
        if rule.axis == "behaviour" and ft_points > 0:
            signal = True
    return Scores(
        prompting=totals["prompting"],
        rag=totals["rag"],
        fine_tuning=totals["fine_tuning"],
        tool_calling=totals["tool_calling"],
        behaviour=behaviour,
        behaviour_signal=signal,
        fired=tuple(fired),
        fine_tuning_set=fine_tuning_set_holds(facts),
    )


def _without_tools(scores: Scores) -> Approach:
    if scores.hybrid_holds:
        return "hybrid"
    return max(SIMPLE_FIRST, key=lambda a: (scores.of(a), -SIMPLE_FIRST.index(a)))


def live_data_is_a_side_need(scores: Scores) -> bool:
    """Live data is the only tool need, and the knowledge or behaviour problem is far larger.

    Then the core approach wins and live data becomes one tool call beside it (the reply
    warns about it), instead of the whole system turning into an agent.
    """
    tool_rules = {r.id for r in scores.fired if r.votes.get("tool_calling", 0.0) > 0}
    if not tool_rules or not tool_rules <= SIDE_TOOL_RULES:
        return False
    core = _without_tools(scores)
    return scores.of(core) >= scores.tool_calling + SIDE_NEED_MARGIN


def resolve(scores: Scores) -> Approach:
    """Tool calling first, then hybrid, then the best simple approach (ties: simpler wins)."""
    if scores.tool_calling >= TOOL_THRESHOLD and not live_data_is_a_side_need(scores):
        return "tool_calling"
    return _without_tools(scores)


def margin(scores: Scores, chosen: Approach) -> float:
    """How far the chosen approach is from losing (>= 0 roughly; bigger = more decisive)."""
    if chosen == "tool_calling":
        return scores.tool_calling - TOOL_THRESHOLD + 1.0
    if chosen == "hybrid":
        return min(scores.rag - HYBRID_RAG_MIN, scores.behaviour - HYBRID_BEHAVIOUR_MIN) + 1.0
    others = [scores.of(a) for a in SIMPLE_FIRST if a != chosen]
    return scores.of(chosen) - max(others)
