"""Plain-text rendering of a reply for the terminal (``advisor ask`` / ``advisor chat``)."""

from __future__ import annotations

import textwrap

from advisor.schemas.reply import AdvisorReply

WIDTH = 100


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent)


def render_reply(reply: AdvisorReply) -> str:
    rec = reply.recommendation
    out = [reply.answer, ""]
    if reply.citations:
        out.append("Sources")
        for c in reply.citations:
            where = f"{c.title} › {c.section}" if c.section else c.title
            out.append(f"  [{c.n}] {where} ({c.doc_id}, chars {c.start}-{c.end})")
            out.append(_wrap(c.text[:400] + ("…" if len(c.text) > 400 else "")))
        out.append("")
    out.append(f"Recommendation: {rec.approach}  (confidence {rec.confidence:.2f})")
    out.append(f"  {rec.summary}")
    for w in rec.warnings:
        out.append(f"  ! {w.message}")
    for step in rec.next_steps[:3]:
        out.append(f"  → {step}")
    if reply.follow_up_questions:
        out.append("  Questions that would settle it:")
        out += [f"    - {q}" for q in reply.follow_up_questions[:3]]
    out.append(f"  (model: {reply.model}; situation read by: {reply.extraction}; "
               f"answer written by: {reply.composition})")
    out += [f"  note: {reason}" for reason in reply.fallback_reasons]
    return "\n".join(out)
