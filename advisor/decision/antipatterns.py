"""Anti-patterns the articles name, as a table of warnings.

Conditions read the situation plus ``approach`` (the recommended approach), so a
warning can fire either because the team is heading that way (current or
considered approach) or because the recommendation itself needs the caveat.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.decision import evidence as ev
from advisor.decision.conditions import All, AnyOf, Below, Between, Condition, In, Is, Not
from advisor.schemas.decision import Evidence


def heading_for(*approaches: str) -> Condition:
    """The team runs, considers, or is being recommended one of `approaches`."""
    return AnyOf(
        In("approach", approaches),
        In("considered_approach", approaches),
        In("current_approach", approaches),
    )


@dataclass(frozen=True)
class AntiPattern:
    code: str
    when: Condition
    message: str
    evidence: tuple[Evidence, ...]


# fmt: off
ANTI_PATTERNS: tuple[AntiPattern, ...] = (
    AntiPattern(
        "fine_tuning_to_fix_hallucinations",
        Is("complaint", "hallucination"),
        "Do not fine-tune to fix hallucinations: they come from missing context, so give the "
        "model the right context by retrieval (and check retrieval quality) instead.",
        (ev.HALLUCINATIONS_NEED_CONTEXT,)),
    AntiPattern(
        "retrieval_for_behaviour_problem",
        All(In("complaint", ("format", "tone", "off_topic")), heading_for("rag")),
        "Retrieval will not fix a behaviour problem: broken formats or persona need prompting "
        "work or fine-tuning, not more retrieved context.",
        (ev.RAG_FOR_BEHAVIOUR, ev.RAG_OVERUSED)),
    AntiPattern(
        "fine_tuning_before_prompting",
        All(heading_for("fine_tuning", "hybrid"), Not(Is("prompting_tried", True))),
        "Try a well-crafted prompt (with a few examples) on a strong base model before "
        "fine-tuning; most teams skip that step and lose months.",
        (ev.STEP1_SHIP_IT, ev.FT_IS_FIFTH)),
    AntiPattern(
        "fine_tuning_without_enough_data",
        All(heading_for("fine_tuning", "hybrid"), Below("labeled_examples", 100)),
        "There is not enough data to fine-tune: under 100 examples belong in a few-shot prompt. "
        "Collect real usage data first.",
        (ev.FEW_SHOT, ev.TOO_EARLY)),
    AntiPattern(
        "fine_tuning_on_thin_data",
        All(In("approach", ("fine_tuning", "hybrid")), Between("labeled_examples", 100, 1000)),
        "Hundreds of examples is the low end for fine-tuning (one article asks for 1,000+); "
        "expect to need more data, and measure against a prompt baseline.",
        (ev.DATA_HUNDREDS_TO_THOUSANDS, ev.DATA_1000_PLUS)),
    AntiPattern(
        "poor_chunking",
        AnyOf(Is("complaint", "retrieval_quality"),
              All(Is("current_approach", "rag"),
                  In("complaint", ("hallucination", "stale_facts"))),
              All(Is("current_approach", "rag"), Is("considered_approach", "fine_tuning"))),
        "Check chunking and retrieval before anything else: poor chunking is the most common "
        "RAG failure, and fine-tuning on top would only mask it.",
        (ev.POOR_CHUNKING, ev.WRONG_REASON_TO_FINE_TUNE)),
    AntiPattern(
        "fine_tuning_for_changing_facts",
        All(In("knowledge_change_frequency", ("weekly", "daily", "real_time")),
            AnyOf(Is("approach", "fine_tuning"), Is("considered_approach", "fine_tuning"),
                  Is("current_approach", "fine_tuning"))),
        "Facts that change often cannot live in the weights: every change would need a retrain. "
        "Keep them in a retrievable store or behind an API.",
        (ev.NO_FRESH_FACTS_IN_WEIGHTS,)),
    AntiPattern(
        "fine_tuning_for_live_data",
        All(AnyOf(Is("needs_live_data", True), Is("knowledge_change_frequency", "real_time")),
            In("considered_approach", ("fine_tuning", "hybrid"))),
        "Real-time data needs an API integration; do not fine-tune for it.",
        (ev.REAL_TIME_API,)),
    AntiPattern(
        "live_data_beside_the_core",
        All(Is("needs_live_data", True), Not(Is("approach", "tool_calling"))),
        "Part of the need is live data: keep the core approach for the main problem and fetch "
        "the live values through an API call (a tool) at request time; do not index or train "
        "on a copy of them.",
        (ev.REAL_TIME_API, ev.EXTERNAL_ACTIONS)),
    AntiPattern(
        "vector_search_for_numbers",
        Is("needs_exact_computation", True),
        "Do not put records into a vector store to answer numeric questions: similarity search "
        "returns passages, not sums or averages. Query the database through a tool.",
        (ev.TOOL_AGENTS,)),
    AntiPattern(
        "retrieval_on_device",
        All(Is("deployment", "on_device"), heading_for("rag", "hybrid")),
        "Retrieval on a device without connectivity needs a local index; external database "
        "calls are difficult at the edge.",
        (ev.EDGE_RAG,)),
)
# fmt: on
