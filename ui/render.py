"""Pure functions from an AdvisorReply to the HTML the chat page shows.

Nothing here decides anything: it lays out what the service returned. Every piece of text that
comes from outside (the person's messages, passages, the model's answer) is escaped here, which is
why the chat component can show this HTML without its own sanitiser.

Ids are ``adv-t{turn}-src-{n}`` (turn = 1-based reply number in the conversation), so a marker
``[n]`` in reply 2 links to passage n of reply 2's sources panel.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from advisor.schemas.decision import Evidence, Recommendation
from advisor.schemas.reply import AdvisorReply, ChatMessage, Citation

APPROACHES: dict[str, tuple[str, str]] = {
    "prompting": ("Prompting", "A well-crafted prompt on a strong base model"),
    "rag": ("RAG", "Retrieval-augmented generation: look the facts up at request time"),
    "fine_tuning": ("Fine-tuning", "Train the model on your examples"),
    "hybrid": ("Hybrid", "RAG for the facts, fine-tuning for the behaviour"),
    "tool_calling": ("Tool calling", "An agent or API integration: live data, actions, exact numbers"),
}
_MARKER = re.compile(r"\[(\d{1,3})\]")
_CHANGE = re.compile(r"^(?P<field>[a-z_]+): (?P<before>.*?) -> (?P<after>.*)$")
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable(["table", "strikethrough"])


# ---- small pieces ----------------------------------------------------------------------------
def approach_label(approach: str) -> str:
    return APPROACHES.get(approach, (approach.replace("_", " ").capitalize(), ""))[0]


def source_id(turn: int, n: int) -> str:
    return f"adv-t{turn}-src-{n}"


def _where(c: Citation) -> str:
    return f"{c.title} › {c.section}" if c.section else c.title


def cite_link(turn: int, c: Citation | None, n: int) -> str:
    """A marker that links to passage ``n`` of this turn's sources panel."""
    label = f"Source {n}" + (f": {_where(c)}" if c else "")
    return (f'<a class="adv-cite" href="#{source_id(turn, n)}" aria-label="{escape(label)}" '
            f'title="{escape(label)}">{n}</a>')


def _cites(turn: int, numbers: Iterable[int], by_n: dict[int, Citation]) -> str:
    links = "".join(cite_link(turn, by_n.get(n), n) for n in numbers)
    return f'<span class="adv-cites">{links}</span>' if links else ""


def _paragraphs(text: str) -> str:
    """Passage text as escaped paragraphs (blank lines split them, single newlines break lines)."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "".join("<p>" + "<br>".join(escape(ln.strip()) for ln in b.splitlines()) + "</p>"
                   for b in blocks)


# ---- the answer ---------------------------------------------------------------------------------
def _link_markers(tokens: list[Token], turn: int, by_n: dict[int, Citation] | None) -> None:
    """Replace ``[n]`` in the text of inline tokens (not inside code or links) by marker links.

    With ``by_n=None`` (an answer still streaming, its passages not known yet) every marker
    becomes a plain pill, so nothing jumps when the links arrive with the complete reply."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        in_link = 0
        for tok in block.children:
            in_link += tok.type == "link_open"
            in_link -= tok.type == "link_close"
            if tok.type != "text" or in_link or not _MARKER.search(tok.content):
                out.append(tok)
                continue
            pos = 0
            for m in _MARKER.finditer(tok.content):
                n = int(m.group(1))
                if by_n is not None and n not in by_n:
                    continue
                if m.start() > pos:
                    out.append(_text(tok.content[pos:m.start()]))
                html = Token("html_inline", "", 0)
                html.content = (f'<span class="adv-cite">{n}</span>' if by_n is None
                                else cite_link(turn, by_n[n], n))
                out.append(html)
                pos = m.end()
            if pos < len(tok.content):
                out.append(_text(tok.content[pos:]))
        block.children = out


def _text(content: str) -> Token:
    tok = Token("text", "", 0)
    tok.content = content
    return tok


def _restates_card(paragraph: str, reply: AdvisorReply) -> bool:
    """A closing paragraph with no citation that only says what the card shows: the approach
    with its confidence, or the card's first follow-up question."""
    if _MARKER.search(paragraph):
        return False
    rec = reply.recommendation
    pct = f"{round(rec.confidence * 100)}%"
    label = approach_label(rec.approach).lower()
    folded = " ".join(paragraph.lower().split())
    if label in folded and pct in folded:
        return True
    first = reply.follow_up_questions[0].lower() if reply.follow_up_questions else None
    return bool(first and " ".join(first.split()) in folded)


def page_answer(reply: AdvisorReply) -> str:
    """The answer as the page shows it, above its card: without a closing paragraph that only
    restates the card (the answer keeps it for the API and the terminal)."""
    if not reply.covered:
        return reply.answer
    paragraphs = re.split(r"\n\s*\n", reply.answer.strip())
    if len(paragraphs) > 1 and _restates_card(paragraphs[-1], reply):
        paragraphs = paragraphs[:-1]
    return "\n\n".join(paragraphs)


def case_known(reply: AdvisorReply) -> bool:
    return bool(reply.situation.known())


def answer_html(answer: str, turn: int, citations: Sequence[Citation] = ()) -> str:
    """The Markdown answer as HTML; raw HTML in it is shown as text, [n] markers become links."""
    tokens = _md.parse(answer)
    _link_markers(tokens, turn, {c.n: c for c in citations})
    return _md.renderer.render(tokens, _md.options, {})


# ---- the sources panel ------------------------------------------------------------------------
def sources_html(citations: Sequence[Citation], turn: int, *, open_: bool = True) -> str:
    """One collapsible panel per turn listing each cited passage: title, section, the text."""
    if not citations:
        return ""
    items = []
    for c in citations:
        section = f'<span class="adv-src-section">{escape(c.section)}</span>' if c.section else ""
        items.append(
            f'<li class="adv-src" id="{source_id(turn, c.n)}" tabindex="-1">'
            f'<details class="adv-src-item"><summary>'
            f'<span class="adv-n" aria-hidden="true">{c.n}</span>'
            f'<span class="adv-src-head"><span class="adv-src-title">{escape(c.title)}</span>'
            f'{section}</span></summary>'
            f'<blockquote class="adv-passage">{_paragraphs(c.text)}</blockquote>'
            f'<div class="adv-src-meta">{escape(c.doc_id)} · characters {c.start}–{c.end}</div>'
            f"</details></li>"
        )
    count = f"{len(citations)} passage{'s' if len(citations) != 1 else ''} cited"
    return (
        f'<details class="adv-sources" id="adv-t{turn}-sources"{" open" if open_ else ""}>'
        f'<summary><span class="adv-sources-title">Sources</span>'
        f'<span class="adv-count">{count}</span></summary>'
        f'<ol class="adv-src-list">{"".join(items)}</ol></details>'
    )


# ---- the recommendation card ------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).lower()


def evidence_numbers(evidence: Sequence[Evidence], citations: Sequence[Citation]) -> list[int]:
    """Which cited passages contain these quotes (same article, quote inside the passage)."""
    found: list[int] = []
    for e in evidence:
        quote = _norm(e.quote)
        for c in citations:
            if c.doc_id == e.doc_id and quote in _norm(c.text) and c.n not in found:
                found.append(c.n)
                break
    return found


def _backing(evidence: Sequence[Evidence], citations: Sequence[Citation], turn: int,
             by_n: dict[int, Citation]) -> str:
    """Marker links for the evidence; the first quote itself when none of it was cited."""
    numbers = evidence_numbers(evidence, citations)
    if numbers:
        return _cites(turn, numbers, by_n)
    if not evidence:
        return ""
    e = evidence[0]
    title = next((c.title for c in citations if c.doc_id == e.doc_id),
                 e.doc_id.replace("-", " ").capitalize())
    return f'<span class="adv-quote">“{escape(e.quote)}” — {escape(title)}</span>'


def _show_value(value: str) -> str:
    return approach_label(value) if value in APPROACHES else value.replace("_", " ")


def change_html(change: str) -> str:
    """'labeled_examples: unknown -> 5000' as 'Labeled examples: unknown → 5000'."""
    m = _CHANGE.match(change)
    if not m:
        return f"<li>{escape(change)}</li>"
    field = m["field"]
    cls = ' class="adv-change-rec"' if field == "recommendation" else ""
    name = field.replace("_", " ").capitalize()
    return (f"<li{cls}><span class=\"adv-change-field\">{escape(name)}:</span> "
            f"<span class=\"adv-before\">{escape(_show_value(m['before']))}</span>"
            f" <span aria-hidden=\"true\">→</span><span class=\"sr-only\"> changed to </span> "
            f"<strong>{escape(_show_value(m['after']))}</strong></li>")


def confidence_html(confidence: float) -> str:
    pct = round(confidence * 100)
    word = "high" if confidence >= 0.75 else "moderate" if confidence >= 0.5 else "low"
    return (
        f'<div class="adv-conf"><div class="adv-conf-label"><span>Confidence</span>'
        f"<strong>{pct}% <span class=\"adv-conf-word\">{word}</span></strong></div>"
        f'<div class="adv-bar adv-conf-{word}" role="meter" aria-label="Confidence" '
        f'aria-valuemin="0" aria-valuemax="100" aria-valuenow="{pct}" '
        f'aria-valuetext="{pct}% ({word})"><span style="width:{pct}%"></span></div></div>'
    )


FOLLOW_UPS_SHOWN = 3


def _followup_buttons(questions: Sequence[str]) -> str:
    return "".join(
        f'<button type="button" class="adv-followup" data-question="{escape(q)}" '
        f'aria-label="Put this question in the message box: {escape(q)}">{escape(q)}</button>'
        for q in questions
    )


def followups_html(questions: Sequence[str], title: str = "Questions that could change this") -> str:
    """The follow-up questions as buttons, most decisive first; the rest behind 'more'."""
    if not questions:
        return ""
    shown, rest = questions[:FOLLOW_UPS_SHOWN], questions[FOLLOW_UPS_SHOWN:]
    more = (f'<details class="adv-more-questions"><summary>{len(rest)} more '
            f'question{"s" if len(rest) != 1 else ""}</summary><div class="adv-followup-list">'
            f"{_followup_buttons(rest)}</div></details>") if rest else ""
    return (f'<div class="adv-block adv-followups"><h4>{escape(title)}</h4>'
            f'<p class="adv-hint">Click one to put it in the message box, then answer it.</p>'
            f'<div class="adv-followup-list">{_followup_buttons(shown)}</div>{more}</div>')


def _more_html(rec: Recommendation) -> str:
    parts = []
    if rec.alternatives:
        alts = "".join(f"<li><strong>{escape(approach_label(a.approach))}</strong> "
                       f"{escape(a.condition)}</li>" for a in rec.alternatives)
        parts.append(f"<h5>Another approach would win</h5><ul>{alts}</ul>")
    if rec.disagreements:
        dis = "".join(f"<li>{escape(d.topic)}</li>" for d in rec.disagreements)
        parts.append(f"<h5>Where the articles disagree</h5><ul>{dis}</ul>")
    if rec.cost_sketch is not None:
        parts.append(f"<h5>Cost at your volume</h5><p>{escape(rec.cost_sketch.summary)}</p>")
    if not parts:
        return ""
    return (f'<details class="adv-more"><summary>Alternatives, disagreements and cost</summary>'
            f'{"".join(parts)}</details>')


def _says_summary(reply: AdvisorReply) -> bool:
    """Whether the answer already says the recommendation's one-line summary."""
    head, sep, rest = reply.recommendation.summary.partition(": ")
    summary = (rest if sep else head).rstrip(". ").lower()
    return bool(summary) and summary in " ".join(reply.answer.lower().split())


def card_html(reply: AdvisorReply, turn: int) -> str:
    """The recommendation card: approach, confidence bar, changes, reasons with their citations,
    warnings, next steps and the follow-up questions as buttons."""
    rec = reply.recommendation
    by_n = {c.n: c for c in reply.citations}
    if not reply.covered:
        return (
            '<section class="adv-card adv-card-empty" aria-label="Recommendation">'
            '<div class="adv-eyebrow">No recommendation</div>'
            "<p class=\"adv-summary\">The articles don't cover this question. Describe what your "
            "application must do, how often its knowledge changes, what it must output and how "
            "much labeled data you have.</p>"
            f"{followups_html(reply.follow_up_questions, 'Tell me about')}</section>"
        )
    if not case_known(reply):
        return (
            '<section class="adv-card adv-card-empty" aria-label="No recommendation yet">'
            '<div class="adv-eyebrow">No recommendation yet</div>'
            "<p class=\"adv-summary\">Nothing is known about your own case yet. Answer one of "
            "these, or describe what you are building, to get a recommendation.</p>"
            f"{followups_html(reply.follow_up_questions, 'Tell me about your case')}</section>"
        )
    label = approach_label(rec.approach)
    blurb = APPROACHES.get(rec.approach, ("", ""))[1]
    blocks = [
        ('<header class="adv-card-head"><div class="adv-verdict">'
         '<div class="adv-eyebrow">Recommendation</div>'
         f'<div class="adv-approach" data-approach="{escape(rec.approach)}">{escape(label)}</div>'
         f'<div class="adv-blurb">{escape(blurb)}</div></div>'
         f"{confidence_html(rec.confidence)}</header>"),
    ]
    if not _says_summary(reply):  # the answer above usually leads with it
        blocks.append(f'<p class="adv-summary">{escape(rec.summary)}</p>')
    if reply.changes:
        blocks.append('<div class="adv-block adv-changes"><h4>What changed since your last '
                      f'message</h4><ul>{"".join(change_html(c) for c in reply.changes)}</ul></div>')
    reasons = "".join(
        f"<li>{escape(r.statement)} {_backing(r.evidence, reply.citations, turn, by_n)}</li>"
        for r in rec.reasons
    )
    blocks.append(f'<div class="adv-block adv-reasons"><h4>Why</h4><ul>{reasons}</ul></div>')
    if rec.warnings:
        warns = "".join(
            f"<li>{escape(w.message)} {_backing(w.evidence, reply.citations, turn, by_n)}</li>"
            for w in rec.warnings
        )
        blocks.append(f'<div class="adv-block adv-warnings" role="note"><h4>Watch out</h4>'
                      f"<ul>{warns}</ul></div>")
    if rec.next_steps:
        steps = "".join(f"<li>{escape(s)}</li>" for s in rec.next_steps)
        blocks.append(f'<div class="adv-block adv-steps"><h4>Next steps</h4><ol>{steps}</ol></div>')
    blocks.append(followups_html(reply.follow_up_questions))
    blocks.append(_more_html(rec))
    return (f'<section class="adv-card adv-approach-{escape(rec.approach)}" '
            f'aria-label="Recommendation: {escape(label)}">{"".join(blocks)}</section>')


_READER = {"llm": "the model", "offline": "the offline reader",
           "offline_fallback": "the offline reader, standing in for the model"}
_WRITER = {"llm": "the model", "offline": "the offline composer",
           "offline_fallback": "the offline composer, standing in for the model"}


def provenance_html(reply: AdvisorReply) -> str:
    """Who read the situation and who wrote the answer (and why the offline parts stood in)."""
    model = f" Model: {escape(reply.model)}." if reply.model != "offline" else ""
    reasons = "".join(f"<li>{escape(r)}</li>" for r in reply.fallback_reasons)
    return (
        f'<div class="adv-provenance" data-extraction="{escape(reply.extraction)}" '
        f'data-composition="{escape(reply.composition)}"><p>Situation read by '
        f"{_READER.get(reply.extraction, escape(reply.extraction))}; answer written by "
        f"{_WRITER.get(reply.composition, escape(reply.composition))}.{model}</p>"
        f"{f'<ul>{reasons}</ul>' if reasons else ''}</div>"
    )


# ---- whole messages ---------------------------------------------------------------------------
def reply_html(reply: AdvisorReply, turn: int, *, latest: bool = True) -> str:
    """An assistant message: the answer, the recommendation card under it, then its sources
    (open for the latest reply, collapsed for earlier ones) and who wrote what."""
    return (
        f'<div class="adv-reply" id="adv-t{turn}">'
        f'<div class="adv-answer">{answer_html(page_answer(reply), turn, reply.citations)}</div>'
        f"{card_html(reply, turn)}{sources_html(reply.citations, turn, open_=latest)}"
        f"{provenance_html(reply)}</div>"
    )


def streaming_html(partial: str) -> str:
    """The answer while it is being written (markers are linked once it is complete)."""
    if not partial.strip():
        return ('<div class="adv-pending" role="status"><span class="adv-dots" aria-hidden="true">'
                "<i></i><i></i><i></i></span>Reading the articles…</div>")
    tokens = _md.parse(partial)
    _link_markers(tokens, 0, None)
    return (f'<div class="adv-answer adv-streaming">'
            f"{_md.renderer.render(tokens, _md.options, {})}</div>")


def user_html(text: str) -> str:
    return f'<div class="adv-user">{escape(text)}</div>'


def chat_messages(conversation: Sequence[dict[str, str]],
                  replies: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """The chat component's value: one message per conversation message, replies rendered."""
    out: list[dict[str, str]] = []
    turn = 0
    for m in conversation:
        if m["role"] == "assistant":
            turn += 1
            reply = AdvisorReply.model_validate(replies[turn - 1])
            out.append({"role": "assistant",
                        "content": reply_html(reply, turn, latest=turn == len(replies))})
        else:
            out.append({"role": "user", "content": user_html(m["content"])})
    return out


# ---- the download -------------------------------------------------------------------------
def recommendation_export(reply: AdvisorReply, conversation: Sequence[ChatMessage | dict[str, Any]]
                          ) -> dict[str, Any]:
    """The current recommendation with what it rests on, as the page offers it for download."""
    messages = [m.model_dump() if isinstance(m, ChatMessage) else dict(m) for m in conversation]
    return {
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "recommendation": reply.recommendation.model_dump(mode="json"),
        "situation": reply.situation.model_dump(mode="json", exclude_none=True),
        "changes": reply.changes,
        "citations": [c.model_dump(mode="json") for c in reply.citations],
        "conversation": messages,
        "model": reply.model,
    }


def recommendation_json(reply: AdvisorReply, conversation: Sequence[ChatMessage | dict[str, Any]]
                        ) -> str:
    return json.dumps(recommendation_export(reply, conversation), indent=2, ensure_ascii=False)
