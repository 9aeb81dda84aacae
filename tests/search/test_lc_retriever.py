"""The LangChain retriever adapter returns cited passages as LangChain documents."""

from __future__ import annotations

from advisor.config import Settings
from advisor.search.knowledge_base import KnowledgeBase
from advisor.search.lc_retriever import AdvisorRetriever


def test_invoke_returns_documents_with_citation_metadata(shared_settings: Settings) -> None:
    retriever = AdvisorRetriever(knowledge=KnowledgeBase(shared_settings), k=3)
    docs = retriever.invoke("Is fine-tuning good for on-device inference without a network?")
    assert len(docs) == 3
    meta = docs[0].metadata
    assert {"chunk_id", "doc_id", "title", "section", "start", "end", "score", "relevant"} <= set(meta)
    assert meta["relevant"] is True and docs[0].page_content
