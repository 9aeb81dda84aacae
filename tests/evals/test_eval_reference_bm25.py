"""The targets' yardstick (plain BM25 over fixed 1,000/200 chunks) and ``--compare-bm25``."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.knowledge.chunking import chunk_document
from advisor.knowledge.documents import load_folder
from advisor.knowledge.store import StoredChunk
from evals.reference_bm25 import ReferenceBM25, document_texts, fixed_chunks

ROOT = Path(__file__).resolve().parents[2]
TEXT = " ".join(f"word{i}" for i in range(400))  # no repeats: each chunk has one place


def test_fixed_chunks_cover_the_text_overlap_and_never_cut_words() -> None:
    chunks = fixed_chunks(TEXT, size=200, overlap=50)
    assert all(len(c) <= 200 for c in chunks)
    words = set(TEXT.split())
    for c in chunks:
        assert set(c.split()) <= words  # every token of a chunk is a whole word of the text
        assert c in TEXT
    pos = 0
    for c in chunks:  # in order, each starting inside (or right at the end of) the previous one
        start = TEXT.index(c, max(0, pos - 200))
        assert start <= pos
        pos = start + len(c)
    assert pos == len(TEXT)
    assert len(chunks) > len(TEXT) // 200  # the overlap makes more windows than a plain split


def test_fixed_chunks_reject_an_overlap_as_large_as_the_size() -> None:
    with pytest.raises(ValueError):
        fixed_chunks(TEXT, size=100, overlap=100)


def test_documents_are_joined_back_from_their_chunks_exactly() -> None:
    docs = load_folder(ROOT / "knowledge").documents
    stored = [
        StoredChunk(chunk=c, origin="t", source="", author="", date="")
        for d in docs for c in chunk_document(d)
    ]
    assert document_texts(stored) == {d.id: d.text for d in docs}


def test_reference_bm25_ranks_the_chunk_that_shares_the_words_first() -> None:
    ref = ReferenceBM25({"a": "cats purr on warm sofas " * 60, "b": "dogs bark at the mail carrier " * 60})
    top = ref.search("why do dogs bark", 3)
    assert top and "dogs bark" in top[0] and all("dogs" in t for t in top)
    assert ref.search("the of and", 3) == []  # stop words only: nothing to score
