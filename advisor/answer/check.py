"""The check a real model's answer passes before it is shipped, and the fallback when it fails.

Markers that point at no supplied passage are removed (for every composer). A real model's
answer then falls back to the offline composed answer when it is empty, when it ran away (cut at
the token bound, or longer than any bounded answer can be), or when it answers a covered
question without one valid citation: the product promises cited advice, and an uncited answer
from a model is exactly what it must not ship as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.answer.citations import cited_numbers, validate_markers
from advisor.answer.compose import compose_offline
from advisor.answer.prompts import ComposeContext

CHARS_PER_TOKEN_BOUND = 8  # no answer of N tokens is longer than 8N characters


@dataclass(frozen=True)
class CheckedAnswer:
    answer: str
    removed: int
    composition: str  # "llm", "offline" or "offline_fallback"
    reasons: list[str] = field(default_factory=list)


def failure(answer: str, ctx: ComposeContext, *, finish_reason: str | None,
            max_tokens: int | None) -> str | None:
    """Why a model's (marker-checked) answer cannot be shipped, or None."""
    if not answer.strip():
        return "the model's answer was empty"
    if finish_reason == "length":
        return "the model's answer was cut off at the token bound (ADVISOR_LLM_MAX_TOKENS)"
    if max_tokens and len(answer) > max_tokens * CHARS_PER_TOKEN_BOUND:
        return "the model's answer ran away (longer than the token bound allows)"
    if ctx.covered and not cited_numbers(answer):
        return "the model's answer cited no supplied passage"
    return None


def check_answer(
    answer: str,
    ctx: ComposeContext,
    valid: set[int],
    *,
    from_model: bool,
    finish_reason: str | None = None,
    max_tokens: int | None = None,
) -> CheckedAnswer:
    cleaned, removed = validate_markers(answer, valid)
    if not from_model:
        return CheckedAnswer(cleaned, removed, "offline")
    why = failure(cleaned, ctx, finish_reason=finish_reason, max_tokens=max_tokens)
    if why is None:
        return CheckedAnswer(cleaned, removed, "llm")
    return fallback(ctx, valid, f"{why}; the offline answer is shown", removed)


def fallback(ctx: ComposeContext, valid: set[int], reason: str, removed: int = 0
             ) -> CheckedAnswer:
    offline, _ = validate_markers(compose_offline(ctx), valid)
    return CheckedAnswer(offline, removed, "offline_fallback", [reason])
