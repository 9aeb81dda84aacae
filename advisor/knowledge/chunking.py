"""Chunking that follows an article's structure: headings, paragraphs, list items, table rows.

Guarantees (tested): every character of the text lies in at least one chunk; a chunk is at
most ``max_chars`` long; a chunk never starts or ends inside a word, except where one word is
longer than a chunk (it is cut into pieces of the bound); ids are the document id plus a hash of
the content, so they are stable across runs and change exactly when the content does.

Work is bounded by the text's size: a run of headings is grouped like any other lines (it never
becomes a chunk per heading), only the headings that fit in a quarter of a chunk are carried
over to the next one, so a document yields about ``len(text) / max_chars`` chunks (a few times
that at worst, when short sections each open a chunk) in time linear in its length.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from advisor.knowledge.question_keys import questions_in
from advisor.schemas.retrieval import Chunk, Document

_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_BULLET = re.compile(r"^\s*(?:[-*•●▪◦‣]|\d{1,2}[.)]|[a-z][.)])\s+")
_HEADING_END_PUNCT = tuple('.,;:!"”’\')]')
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=\S)")
_MAX_HEADING_WORDS = 14


@dataclass
class _Unit:
    start: int
    end: int  # includes the line's trailing whitespace
    kind: str  # "heading" | "item" | "para"
    heading: str  # section heading in force


def _is_heading(line: str) -> bool:
    s = line.strip()
    if s.startswith("#"):
        return True
    if not 3 <= len(s) <= 100 or _BULLET.match(s) or s.endswith(_HEADING_END_PUNCT):
        return False
    return len(s.split()) <= _MAX_HEADING_WORDS


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) spans; blank lines join the line before them."""
    spans: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        if m.group().strip():
            spans.append((m.start(), m.end()))
        elif spans:
            spans[-1] = (spans[-1][0], m.end())
    if spans:
        spans[0] = (0, spans[0][1])  # leading blank lines belong to the first line
        spans[-1] = (spans[-1][0], len(text))
    return spans


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut [start, end) into pieces of at most max_chars, at sentence ends, else at spaces;
    a word longer than max_chars is cut at the bound (nothing else could keep it)."""
    pieces: list[tuple[int, int]] = []
    while end - start > max_chars:
        window = text[start:start + max_chars]
        cut = None
        for m in _SENTENCE_END.finditer(window):
            if m.end() > max_chars // 3:
                cut = m.end()
        if cut is None:
            space = max(window.rfind(" "), window.rfind("\n"), window.rfind("\t"))
            cut = space + 1 if space > 0 else max_chars
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


def _units(text: str, max_chars: int) -> list[_Unit]:
    units: list[_Unit] = []
    heading = ""
    for start, end in _lines(text):
        line = text[start:end]
        if end - start <= max_chars and _is_heading(line):
            heading = line.strip().lstrip("#").strip()
            units.append(_Unit(start, end, "heading", heading))
            continue
        kind = "item" if _BULLET.match(line) else "para"
        for s, e in _split_long(text, start, end, max_chars):
            units.append(_Unit(s, e, kind, heading))
    return units


def _overlap_start(text: str, start: int, end: int, overlap: int) -> int:
    """Where the next chunk may begin to repeat up to ``overlap`` chars of [start, end)."""
    if overlap <= 0:
        return end
    lo = max(start, end - overlap)
    tail = text[lo:end]
    # Prefer a sentence start, then a line start, then any word start.
    for pattern in (_SENTENCE_END, re.compile(r"\n\s*(?=\S)"), re.compile(r"\s+(?=\S)")):
        m = pattern.search(tail)
        if m and lo + m.end() < end:
            return lo + m.end()
    return end


def _section_label(units: list[_Unit]) -> str:
    headings: list[str] = []
    for u in units:
        if u.heading and u.heading not in headings:
            headings.append(u.heading)
    return " · ".join(headings[:3])


def _make_id(doc_id: str, content: str, seen: dict[str, int]) -> str:
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    n = seen.get(digest, 0)
    seen[digest] = n + 1
    return f"{doc_id}:{digest}" + (f"-{n}" if n else "")


def chunk_document(doc: Document, max_chars: int = 1200, overlap: int = 200) -> list[Chunk]:
    """Split a document into citable chunks that follow its structure."""
    text = doc.text
    overlap = min(overlap, max_chars // 4)
    units = _units(text, max_chars - overlap)
    if not units:
        return []
    min_chars = max_chars // 3  # a section shorter than this shares a chunk with the next
    groups: list[tuple[int, list[_Unit]]] = []  # (chunk start, units)
    cur: list[_Unit] = []
    cur_start = 0

    def close(next_start_for_overlap: bool) -> int:
        """Close the current chunk; return where the next one starts."""
        groups.append((cur_start, list(cur)))
        end = cur[-1].end
        return _overlap_start(text, cur_start, end, overlap) if next_start_for_overlap else end

    for unit in units:
        if cur:
            size = unit.end - cur_start
            new_section = unit.kind == "heading" and cur[-1].kind != "heading"
            if new_section and cur[-1].end - cur_start >= min_chars:
                cur_start, cur = close(False), []
            elif size > max_chars:
                # Carry trailing headings over to the next chunk (a chunk should not end on a
                # bare heading), but only as many as fit there together with this unit and
                # within a quarter of a chunk: a long run of headings is then grouped like other
                # lines instead of being carried on and on (once, one chunk per heading).
                carry = 0
                while (
                    carry < len(cur)
                    and cur[-1 - carry].kind == "heading"
                    and unit.end - cur[-1 - carry].start <= max_chars
                    and unit.start - cur[-1 - carry].start <= max_chars // 4
                ):
                    carry += 1
                if carry == len(cur):  # only headings, all carried: what came before them is
                    cur_start = cur[0].start  # in the previous chunk
                else:
                    trailing = cur[len(cur) - carry:]
                    del cur[len(cur) - carry:]
                    nxt = close(not trailing)
                    cur_start = trailing[0].start if trailing else min(nxt, unit.start)
                    cur = trailing
        cur.append(unit)
    if cur:
        groups.append((cur_start, cur))

    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for start, group in groups:
        end = group[-1].end
        body = text[start:end]
        section = _section_label(group)
        # Everything stored with the chunk is in the hash, so a stale offset or title can never
        # survive under an unchanged id.
        questions = questions_in(doc, body)
        content = "\x1f".join((doc.title, section, str(start), body, *questions))
        chunks.append(
            Chunk(
                id=_make_id(doc.id, content, seen),
                doc_id=doc.id,
                title=doc.title,
                section=section,
                start=start,
                end=end,
                text=body,
                questions=questions,
            )
        )
    return chunks
