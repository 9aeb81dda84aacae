"""Next steps: a short plan per approach plus steps that depend on the situation."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.decision.conditions import All, AnyOf, Below, Condition, In, Is, Not
from advisor.schemas.decision import Approach

BASE_STEPS: dict[Approach, tuple[str, ...]] = {
    "prompting": (
        (
            "Write a clear system prompt with a handful of representative few-shot examples on a "
            "strong base model."
        ),
        (
            "Build a small evaluation set (20-50 real inputs with expected outputs) and measure "
            "before changing anything."
        ),
        "Revisit retrieval or fine-tuning only when the evaluation shows a specific gap.",
    ),
    "rag": (
        (
            "Index the documents with chunking on semantic boundaries (sections, headings), not "
            "fixed character counts."
        ),
        (
            "Measure retrieval on its own (hit rate on known question/passage pairs) before "
            "tuning prompts."
        ),
        (
            "Make answers cite the retrieved passages and refresh the index whenever the sources "
            "change."
        ),
    ),
    "fine_tuning": (
        (
            "Establish a prompt-only baseline and an evaluation set first, so the gain from "
            "training is measurable."
        ),
        (
            "Curate 1,000+ clean input/output pairs that show exactly the target behaviour; hold "
            "out a test split."
        ),
        (
            "Start with parameter-efficient fine-tuning on the smallest model that passes the "
            "evaluation, and plan retraining when the base model changes."
        ),
    ),
    "hybrid": (
        (
            "Ship retrieval for the facts first (semantic chunking, citations, retrieval "
            "evaluation)."
        ),
        (
            "Collect real interactions, then fine-tune the behaviour layer (format, voice) on "
            "examples that include retrieved context."
        ),
        ("Keep facts out of the training data so the retriever stays the single source of truth."),
    ),
    "tool_calling": (
        (
            "Expose the live systems as narrow, typed tools (read-only queries first, then "
            "actions) with clear descriptions."
        ),
        (
            "Let the model call the tools and compute with code or SQL; never ask it to recall "
            "or compute the numbers itself."
        ),
        "Add confirmation and audit logging for any action that changes an external system.",
    ),
}


@dataclass(frozen=True)
class ConditionalStep:
    when: Condition
    text: str


CONDITIONAL_STEPS: tuple[ConditionalStep, ...] = (
    ConditionalStep(
        All(In("approach", ("fine_tuning", "hybrid")), Below("labeled_examples", 1000)),
        "Collect more labeled examples before training (aim for 1,000+ high-quality pairs).",
    ),
    ConditionalStep(
        All(In("approach", ("fine_tuning", "hybrid")), Not(Is("prompting_tried", True))),
        "Try a strong prompt first; fine-tune only if it demonstrably falls short.",
    ),
    ConditionalStep(
        AnyOf(Is("complaint", "retrieval_quality"), Is("current_approach", "rag")),
        "Audit the existing retrieval (chunking, embeddings, ranking) before adding anything new.",
    ),
    ConditionalStep(
        All(
            Is("approach", "tool_calling"),
            AnyOf(Is("needs_private_knowledge", True), Is("needs_citations", True)),
        ),
        "Add retrieval over the documents as one more tool for the questions that are about "
        "text rather than live records.",
    ),
    ConditionalStep(
        Is("deployment", "on_device"),
        "Pick a small model that fits the device and evaluate it offline on the target hardware.",
    ),
    ConditionalStep(
        All(Is("approach", "prompting"), Is("knowledge_size", "fits_in_prompt")),
        "Put the whole reference text in the prompt (use prompt caching if the provider has it).",
    ),
)


def next_steps(facts: dict[str, object], approach: Approach) -> list[str]:
    steps = list(BASE_STEPS[approach])
    steps += [step.text for step in CONDITIONAL_STEPS if step.when.holds(facts)]
    return steps
