"""Models of the knowledge side: documents, chunks, retrieved passages."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

DOC_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"
_DOC_ID_RE = re.compile(DOC_ID_PATTERN)


def is_valid_doc_id(doc_id: str) -> bool:
    """A document id is a lower-case slug: no slashes, no dot-dot, no spaces."""
    return bool(_DOC_ID_RE.match(doc_id)) and ".." not in doc_id


class QuestionKey(BaseModel):
    """A question the document answers, and the verbatim span(s) of the document that answer it.

    Indexed as an extra search key of the chunks holding an answer (``advisor.knowledge.question_keys``)."""

    question: str = Field(min_length=1)
    answers: list[str] = Field(min_length=1, description="Verbatim spans of the document text.")


class Document(BaseModel):
    """One article: its text (front matter removed) and what we know of it."""

    id: str = Field(pattern=DOC_ID_PATTERN, description="Stable slug, the file stem by default.")
    title: str
    text: str = Field(description="The article text; chunk offsets index into it.")
    author: str | None = None
    date: str | None = None
    source: str = Field("", description="Where it came from: a file path or 'api'.")
    origin: str = Field("", description="The folder (or 'api') whose sync owns this document.")
    questions: list[QuestionKey] = Field(
        default_factory=list, description="Questions it answers (a '.questions.jsonl' sidecar)."
    )


class Chunk(BaseModel):
    """A citable span of a document: ``document.text[start:end] == text``."""

    id: str = Field(description="Document id + content hash: stable across runs.")
    doc_id: str
    title: str
    section: str = Field(description="The heading the span sits under ('' before any heading).")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    questions: list[str] = Field(
        default_factory=list, description="The document's question keys answered in this span."
    )

    def index_text(self) -> str:
        """What search engines see: title and section give short passages their context."""
        return f"{self.title}\n{self.section}\n{self.text}"


class Passage(BaseModel):
    """A retrieved chunk with its scores and citation metadata."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str
    start: int
    end: int
    score: float = Field(description="Fused score (reciprocal rank fusion); higher is better.")
    bm25_score: float | None = None
    dense_score: float | None = Field(None, description="Cosine similarity of the dense match.")
    coverage: float = Field(0.0, description="IDF-weighted share of query terms in the passage.")


class SearchResult(BaseModel):
    """Top passages for a query, and whether any of them is relevant at all."""

    query: str
    passages: list[Passage]
    relevant: bool = Field(description="False when nothing retrieved is about the query: abstain.")
    reason: str = ""
