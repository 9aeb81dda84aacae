"""The offline composer: a short, cited answer to what was asked, ending in the recommendation.

What was asked decides the shape (``ComposeContext.asked``, from ``advisor.answer.question_type``):

* a question about the articles or a concept, or a follow-up about the last answer, is
  answered first with the passage sentences that answer it (``ComposeContext.answer``, found by
  ``advisor.answer.lead``), quoted verbatim with their marker, then where the articles differ,
  then one line on the team's own case: the recommendation so far, or, when nothing is known
  about the case, that there is none yet and the question that would start one;
* a team's case is answered with a direct verdict to the question as asked ("No: don't
  fine-tune; use RAG instead.", "Yes, fine-tuning fits."), the one-line reason, the passage
  sentence that best answers the question as asked ("Should we teach prices to the model?")
  and the article sentence the decisive rule rests on, and when another approach was asked
  about, what would make it win;
* both at once: the answer to the question first, then the verdict for the case.

The answer is prose. The structure (reasons with citations, warnings, next steps, follow-ups,
what changed) is the recommendation's, shown beside the answer by the faces, so the answer
does not list it again. Every answer ends with the recommendation line. Deterministic.
"""

from __future__ import annotations

import re
from itertools import pairwise

from advisor.answer.prompts import ComposeContext
from advisor.answer.question_type import approaches_named

LABELS = {
    "prompting": "Prompting",
    "rag": "RAG (retrieval-augmented generation)",
    "fine_tuning": "Fine-tuning",
    "hybrid": "Hybrid (RAG for facts, fine-tuning for behaviour)",
    "tool_calling": "Tool calling (an agent or API integration)",
}
SHORT = {
    "prompting": "prompting",
    "rag": "RAG",
    "fine_tuning": "fine-tuning",
    "hybrid": "a hybrid",
    "tool_calling": "tool calling",
}
DO = {
    "prompting": "start with a well-crafted prompt on a strong base model",
    "rag": "use RAG (retrieval-augmented generation)",
    "fine_tuning": "fine-tune",
    "hybrid": "combine RAG for the facts with fine-tuning for the behaviour",
    "tool_calling": "use tool calling (an agent or API integration)",
}
DONT = {
    "prompting": "rely on prompting alone",
    "rag": "build RAG",
    "fine_tuning": "fine-tune",
    "hybrid": "build a hybrid",
    "tool_calling": "build an agent",
}
MAX_EVIDENCE_QUOTES = 2
EVIDENCE_BUDGET_CHARS = 360
MIN_QUOTE_WORDS = 6
_POINTING = ("that ", "that's ", "these ", "those ", "this ", "it ", "it's ", "they ", "such ",
             "if so", "if yes", "if not", "in those cases", "in that case")

# "If the answer to the second is yes, ..." points at text the reader never saw
_REFERS_BACK = re.compile(r"\b(?:to|of|for) the (?:first|second|third)(?= is\b| are\b| one\b|[,.;])|"
                          r"\bthe (?:former|latter|above)\b|\b(?:those|these) cases\b")

NOTHING_DIRECT = ("The articles say nothing that answers this directly; the closest passages "
                  "are in the sources.")
NOT_COVERED = (
    "The articles I draw on do not cover this question, so I have nothing to cite for it. "
    "I can help you choose between prompting, RAG, fine-tuning, a hybrid or tool calling: "
    "describe what your application must do, how often its knowledge changes, what output it "
    "must produce and how much labeled data you have."
)


def _quote(text: str, n: int) -> str:
    """A verbatim passage span in quotation marks (inner curly quotes made straight)."""
    inner = " ".join(text.split()).replace("“", '"').replace("”", '"')
    return f"“{inner}” [{n}]"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _summary(ctx: ComposeContext) -> str:
    """The recommendation's one-line summary without the label it starts with."""
    rec = ctx.recommendation
    head, sep, rest = rec.summary.partition(": ")
    label = LABELS.get(rec.approach, rec.approach)
    if sep and label.lower().startswith(head.split(" (")[0].lower()):
        return _cap(rest)
    return rec.summary


def _recommendation_line(ctx: ComposeContext, *, prefix: str = "Recommendation") -> str:
    rec = ctx.recommendation
    line = f"**{prefix}: {LABELS.get(rec.approach, rec.approach)}** (confidence {rec.confidence:.0%})."
    if rec.follow_up_questions:
        line += f" To sharpen it: {rec.follow_up_questions[0].question}"
    return line


def _no_case_line(ctx: ComposeContext) -> str:
    rec = ctx.recommendation
    line = "I know nothing about your own case yet, so I make no recommendation for it."
    if rec.follow_up_questions:
        line += f" To start one: {rec.follow_up_questions[0].question}"
    return line


def _lead(ctx: ComposeContext) -> list[str]:
    """The passage sentences that answer the question, and where the articles differ."""
    spans = ctx.answer.sentences
    if not spans:
        return [NOTHING_DIRECT]
    parts = [_quote(spans[0].text, spans[0].n)]
    for before, s in pairwise(spans):
        parts.append(_quote(s.text, s.n) if s.title == before.title
                     else f"Another article: {_quote(s.text, s.n)}")
    lines = [" ".join(parts)]
    if ctx.answer.disagreement:
        topic = ctx.answer.disagreement.rstrip(". ")
        lines.append(f"The articles differ here. {topic}.")
    return lines


def _verdict(ctx: ComposeContext) -> str:
    """A direct answer to the question about the case, as it was asked."""
    rec = ctx.recommendation.approach
    asked = ctx.asked_approach
    if asked is None:
        return f"{_cap(DO[rec])}." if _asks(ctx) else f"{LABELS[rec]} fits this case."
    if asked == rec:
        return f"Yes, {SHORT[rec]} fits."
    if rec == "hybrid" and asked in ("rag", "fine_tuning"):
        return f"Yes, but not on its own: {DO['hybrid']}."
    if asked == "hybrid" and rec in ("rag", "fine_tuning"):
        return f"Not yet: {SHORT[rec]} alone covers what you describe."
    return f"No: don't {DONT[asked]}; {DO[rec]} instead."


def _asks(ctx: ComposeContext) -> bool:
    return "?" in ctx.question


def _stands_alone(quote: str) -> bool:
    q = quote.lower()
    return (not quote.rstrip().endswith("?") and len(quote.split()) >= MIN_QUOTE_WORDS
            and not q.startswith(_POINTING) and not _REFERS_BACK.search(q))


def _sentence_like(quote: str) -> bool:
    return quote[:1].isupper() and quote.rstrip("”’\"')")[-1:] in ".!"


def _evidence_quotes(ctx: ComposeContext) -> list[str]:
    """The article sentences the decisive rules rest on, quoted with their passage marker: one
    per reason, the reasons resting on what the last message changed first, whole sentences
    before list items' fragments ("prompting alone is too unstable" says little alone)."""
    by_n = {p.n: p for p in ctx.passages}
    changed = {c.partition(":")[0] for c in ctx.changes}
    reasons = list(enumerate(ctx.recommendation.reasons))
    reasons.sort(key=lambda item: item[1].factor not in changed)  # what just changed first
    candidates: list[tuple[int, str, int]] = []  # (reason, quote, passage)
    for i, reason in reasons:
        refs = ctx.reason_passages[i] if i < len(ctx.reason_passages) else []
        for e in reason.evidence:
            quote = " ".join(e.quote.split())
            n = next((n for n in refs if quote in " ".join(by_n[n].text.split())), None)
            if n is not None and _stands_alone(quote):
                candidates.append((i, quote, n))
    out: list[str] = []
    reasons_used: set[int] = set()
    passages_used: set[int] = set()
    size = 0
    for whole in (True, False):  # fragments only when no reason has a whole sentence
        for i, quote, n in candidates:
            if len(out) >= MAX_EVIDENCE_QUOTES:
                return out
            if i in reasons_used or n in passages_used or _sentence_like(quote) != whole:
                continue
            if out and size + len(quote) > EVIDENCE_BUDGET_CHARS:
                continue
            out.append(_quote(quote, n))
            reasons_used.add(i)
            passages_used.add(n)
            size += len(quote)
        if out:
            return out
    return out


def _other_approach(ctx: ComposeContext, approach: str | None) -> str | None:
    """What would make the approach asked about win, when it is not the one recommended."""
    rec = ctx.recommendation
    if approach is None or approach == rec.approach:
        return None
    if rec.approach == "hybrid" and approach in ("rag", "fine_tuning"):
        return None
    for alt in rec.alternatives:
        if alt.approach == approach:
            return f"{_cap(SHORT[approach])} would win {alt.condition.rstrip('.')}."
    return None


def _changed(ctx: ComposeContext) -> str | None:
    for change in ctx.changes:
        if change.startswith("recommendation: "):
            before, _, after = change.removeprefix("recommendation: ").partition(" -> ")
            return (f"What you added changes the advice from {SHORT.get(before, before)} to "
                    f"{SHORT.get(after, after)}.")
    return None


def _case(ctx: ComposeContext, *, heading: str = "", answered: bool = False) -> list[str]:
    """The verdict, its reason and quotes (``answered``: the lead was quoted above already)."""
    changed = _changed(ctx)
    verdict = f"**{heading}{_verdict(ctx)}** " + (f"{changed} " if changed else "") + _summary(ctx)
    lines = [verdict]
    # the sentence that best answers the question as asked, then what the decisive rule rests on
    best = [] if answered else [s for s in ctx.answer.sentences if _stands_alone(s.text)][:1]
    quotes = [_quote(s.text, s.n) for s in best]
    shown = ctx.answer.sentences if answered else best  # no sentence quoted twice
    for q in _evidence_quotes(ctx):
        if len(quotes) < MAX_EVIDENCE_QUOTES and not any(" ".join(s.text.split()) in q for s in shown):
            quotes.append(q)
    if quotes:
        lines.append(" ".join(quotes))
    other = _other_approach(ctx, ctx.asked_approach)
    if other:
        lines.append(other)
    return lines


def compose_offline(ctx: ComposeContext) -> str:
    if not ctx.covered:
        return NOT_COVERED
    paragraphs: list[str] = []
    if ctx.asked in ("knowledge", "follow_up") or not ctx.case_known:
        paragraphs += _lead(ctx)
        if not ctx.case_known:
            paragraphs.append(_no_case_line(ctx))
            return "\n\n".join(paragraphs)
        named = approaches_named(ctx.question)
        other = _other_approach(ctx, named[0]) if ctx.asked == "follow_up" and named else None
        if other:
            paragraphs.append(other)
        paragraphs.append(_recommendation_line(ctx, prefix="For your case, still"))
        return "\n\n".join(paragraphs)
    if ctx.asked == "both":
        paragraphs += _lead(ctx)
        paragraphs += _case(ctx, heading="For your case: ", answered=True)
    else:
        paragraphs += _case(ctx)
    paragraphs.append(_recommendation_line(ctx))
    return "\n\n".join(paragraphs)
