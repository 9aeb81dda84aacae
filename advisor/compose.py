"""The offline composer: an extractive, cited answer built from the compose context.

It writes the recommendation and its reasons (each citing the passage that quotes the article
the rule rests on), then the sentences of the retrieved passages that best match the question,
quoted verbatim with their marker. Deterministic: same context, same answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from advisor.prompts import ComposeContext
from advisor.text_analysis import content_terms

LABELS = {
    "prompting": "Prompting",
    "rag": "RAG (retrieval-augmented generation)",
    "fine_tuning": "Fine-tuning",
    "hybrid": "Hybrid (RAG for facts, fine-tuning for behaviour)",
    "tool_calling": "Tool calling (an agent or API integration)",
}
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]?|$)")
MAX_QUOTES = 3
MIN_SENTENCE_WORDS = 6

NOT_COVERED = (
    "The articles I draw on do not cover this question, so I have nothing to cite for it. "
    "I can help you choose between prompting, RAG, fine-tuning, a hybrid or tool calling: "
    "describe what your application must do, how often its knowledge changes, what output it "
    "must produce and how much labeled data you have."
)


def _marks(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in sorted(set(numbers)))


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """A passage's statements with their content terms (cached: passages repeat a lot)."""
    out = []
    for m in _SENTENCE.finditer(text):
        s = " ".join(m.group().split())
        # Questions and headings make poor evidence; keep statements.
        if len(s.split()) >= MIN_SENTENCE_WORDS and not s.endswith("?"):
            out.append((s, frozenset(content_terms(s))))
    return tuple(out)


def best_sentences(ctx: ComposeContext, limit: int = MAX_QUOTES) -> list[tuple[str, int]]:
    """The retrieved sentences sharing most of the question's terms, one per passage."""
    query = set(content_terms(" ".join([ctx.question, *ctx.conversation[-2:]])))
    if not query:
        return []
    scored: list[tuple[float, int, int, str]] = []
    for p in ctx.passages:
        if p.kind != "retrieved":
            continue
        for i, (sentence, terms) in enumerate(_sentences(p.text)):
            overlap = len(query & terms)
            if overlap:
                scored.append((overlap / (len(terms) ** 0.5 + 1), -p.n, -i, sentence))
    chosen: list[tuple[str, int]] = []
    used: set[int] = set()
    for _, neg_n, _, sentence in sorted(scored, reverse=True):
        if -neg_n not in used:
            chosen.append((sentence, -neg_n))
            used.add(-neg_n)
        if len(chosen) == limit:
            break
    return chosen


def _readable(change: str) -> str:
    """'labeled_examples: unknown -> 5000' -> 'labeled examples: unknown → 5000'."""
    field, sep, values = change.partition(": ")
    return f"{field.replace('_', ' ')}{sep}{values.replace(' -> ', ' → ')}"


def compose_offline(ctx: ComposeContext) -> str:
    if not ctx.covered:
        return NOT_COVERED
    rec = ctx.recommendation
    label = LABELS.get(rec.approach, rec.approach)
    summary = rec.summary
    head, sep, rest = summary.partition(": ")
    if sep and label.lower().startswith(head.split(" (")[0].lower()):
        summary = rest[:1].upper() + rest[1:]  # the summary repeats the label: drop it
    lines = [f"**Recommendation: {label}** (confidence {rec.confidence:.0%}). {summary}", ""]
    if ctx.changes:
        lines += ["**What changed:** " + "; ".join(_readable(c) for c in ctx.changes), ""]
    reasons = []
    for i, reason in enumerate(rec.reasons[:5]):
        refs = ctx.reason_passages[i] if i < len(ctx.reason_passages) else []
        if refs:
            reasons.append(f"- {reason.statement} {_marks(refs)}")
    if reasons:
        lines += ["**Why**", *reasons, ""]
    quotes = best_sentences(ctx)
    if quotes:
        lines += ["**From the articles**", *[f"- “{s}” [{n}]" for s, n in quotes], ""]
    for i, warning in enumerate(rec.warnings[:2]):
        refs = ctx.warning_passages[i] if i < len(ctx.warning_passages) else []
        lines += [f"**Watch out:** {warning.message} {_marks(refs)}".rstrip(), ""]
    if rec.disagreements:
        topic = rec.disagreements[0].topic.rstrip(". ")
        lines += [f"**The articles disagree** on {topic[:1].lower() + topic[1:]}.", ""]
    if rec.follow_up_questions:
        lines += [f"**To sharpen this:** {rec.follow_up_questions[0].question}"]
    return "\n".join(lines).strip()
