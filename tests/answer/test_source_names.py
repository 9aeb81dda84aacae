"""Which article a question names: by its author, a title word or a heading of its own."""

from __future__ import annotations

from advisor.answer.source_names import name_index, named_doc
from advisor.knowledge.store import StoredChunk
from advisor.schemas.retrieval import Chunk


def _stored(doc: str, title: str, section: str, author: str = "") -> StoredChunk:
    chunk = Chunk(id=f"{doc}:{section}", doc_id=doc, title=title, section=section, start=0,
                  end=4, text="text")
    return StoredChunk(chunk=chunk, origin="t", source="", author=author, date="")


NAMES = name_index([
    _stored("ops-guide", "RAG vs Fine-Tuning for Operators", "The Cost Ladder", author="Ana Patel"),
    _stored("ops-guide", "RAG vs Fine-Tuning for Operators", "Common Pitfalls"),
    _stored("field-notes", "RAG vs Fine-Tuning: Field Notes", "The Decision Tree"),
    _stored("field-notes", "RAG vs Fine-Tuning: Field Notes", "Common Pitfalls"),
])


def test_an_article_is_named_by_its_author_title_word_or_own_heading() -> None:
    assert named_doc(["per Patel"], NAMES) == "ops-guide"
    assert named_doc(["the operators guide says"], NAMES) == "ops-guide"
    assert named_doc(["In the decision tree"], NAMES) == "field-notes"
    assert named_doc(["the field-notes post"], NAMES) == "field-notes"


def test_words_every_article_shares_name_none() -> None:
    assert named_doc(["the RAG vs fine-tuning article"], NAMES) is None
    assert named_doc(["the pitfalls piece"], NAMES) is None  # a heading both have
    assert named_doc(["the retrieval piece"], NAMES) is None
    assert named_doc([], NAMES) is None
