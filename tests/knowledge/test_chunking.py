"""Chunker properties on the shipped articles and on generated text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from advisor.config import SHIPPED_KNOWLEDGE
from advisor.knowledge.chunking import chunk_document
from advisor.knowledge.documents import load_folder
from advisor.schemas.retrieval import Document

DOCS = load_folder(SHIPPED_KNOWLEDGE).documents


def _check(doc: Document, max_chars: int, overlap: int) -> None:
    chunks = chunk_document(doc, max_chars=max_chars, overlap=overlap)
    covered = [False] * len(doc.text)
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
        assert c.doc_id == doc.id and c.title == doc.title
        assert c.id.startswith(f"{doc.id}:")
        for i in range(c.start, c.end):
            covered[i] = True
        # never starts or ends inside a word
        if c.start > 0:
            assert not (doc.text[c.start - 1].isalnum() and doc.text[c.start].isalnum())
        if c.end < len(doc.text):
            assert not (doc.text[c.end - 1].isalnum() and doc.text[c.end].isalnum())
        assert len(c.text) <= max_chars
    assert all(covered), "every character lands in a chunk"
    assert len({c.id for c in chunks}) == len(chunks)


def test_shipped_articles_are_fully_covered_within_bounds() -> None:
    assert len(DOCS) == 5
    for doc in DOCS:
        _check(doc, 1200, 200)
        _check(doc, 400, 80)


def test_ids_are_stable_and_change_only_with_content() -> None:
    doc = DOCS[0]
    first = [c.id for c in chunk_document(doc)]
    assert first == [c.id for c in chunk_document(doc.model_copy())]
    changed = doc.model_copy(update={"text": doc.text + "\nA new closing paragraph."})
    after = [c.id for c in chunk_document(changed)]
    assert after[:-1] == first[:-1] and after[-1] != first[-1]


def test_chunks_carry_sections_from_headings() -> None:
    doc = next(d for d in DOCS if d.id == "rag-vs-fine-tuning-decision-framework")
    sections = {c.section for c in chunk_document(doc)}
    assert any("Step 1" in s or "The Decision Tree" in s for s in sections)


def test_comparison_table_rows_stay_whole() -> None:
    doc = next(d for d in DOCS if d.id == "rag-vs-fine-tuning-how-to-choose")
    rows = [ln for ln in doc.text.splitlines() if ln.startswith(("Primary Purpose", "On-Device/Edge"))]
    assert len(rows) == 2
    for row in rows:
        assert any(row in c.text for c in chunk_document(doc))


words = st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True)
lines = st.lists(words, min_size=1, max_size=60).map(" ".join)
texts = st.lists(st.one_of(lines, st.just(""), lines.map(lambda s: "  • " + s)), min_size=1,
                 max_size=40).map("\n".join).filter(lambda t: t.strip())


@hsettings(max_examples=60, deadline=None)
@given(texts, st.integers(min_value=200, max_value=1500), st.integers(min_value=0, max_value=300))
def test_properties_hold_for_generated_text(text: str, max_chars: int, overlap: int) -> None:
    doc = Document(id="gen", title="Generated", text=text)
    _check(doc, max_chars, overlap)


def test_long_single_line_is_split_at_sentence_or_word_boundaries() -> None:
    text = " ".join(f"Sentence number {i} says something about retrieval." for i in range(100))
    chunks = chunk_document(Document(id="long", title="Long", text=text), max_chars=500, overlap=100)
    assert len(chunks) > 5
    assert all(re.match(r"^\S", c.text) for c in chunks)


headings = st.one_of(
    st.just("#"), words.map(lambda w: "# " + w), lines.map(lambda s: "## " + s[:40])
)
structured = st.lists(
    st.one_of(lines, headings, headings, st.just("")), min_size=1, max_size=200
).map("\n".join).filter(lambda t: t.strip())


@hsettings(max_examples=60, deadline=None)
@given(structured, st.integers(min_value=200, max_value=1500), st.integers(min_value=0, max_value=300))
def test_chunk_count_is_bounded_by_the_size_whatever_the_headings(
    text: str, max_chars: int, overlap: int
) -> None:
    doc = Document(id="gen", title="Generated", text=text)
    _check(doc, max_chars, overlap)
    # A chunk closes early only at a section at least a third of the bound long.
    assert len(chunk_document(doc, max_chars, overlap)) <= 3 * len(text) / max_chars + 1


def test_a_heading_only_document_is_grouped_not_a_chunk_per_heading() -> None:
    text = "#\n" * 20_000  # the 198 KB document, a fifth of it
    chunks = chunk_document(Document(id="heads", title="Heads", text=text))
    assert len(chunks) <= 3 * len(text) / 1200 + 1, len(chunks)
    assert "".join(c.text for c in chunks).count("#") >= 20_000  # all of it, overlaps aside
    _check(Document(id="heads", title="Heads", text=text), 1200, 200)


def test_a_word_longer_than_a_chunk_is_cut_at_the_bound() -> None:
    doc = Document(id="token", title="Token", text="x" * 65_000)
    chunks = chunk_document(doc)
    assert max(len(c.text) for c in chunks) <= 1200 and len(chunks) <= 70
    assert chunks[0].start == 0 and chunks[-1].end == 65_000
    long_heading = Document(id="head", title="Head", text="# " + "y" * 5000 + "\n\nBody text.")
    assert max(len(c.text) for c in chunk_document(long_heading)) <= 1200
