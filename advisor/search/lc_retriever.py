"""The hybrid retriever as a LangChain ``BaseRetriever``, to drop into your own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class AdvisorRetriever(BaseRetriever):
    """Returns the advisor's passages as LangChain documents with citation metadata.

    ``metadata`` carries ``chunk_id``, ``doc_id``, ``title``, ``section``, ``start``, ``end``,
    ``score`` and ``relevant`` (False when nothing retrieved is about the query).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    knowledge: Any  # advisor.search.knowledge_base.KnowledgeBase
    k: int = 5

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        result = self.knowledge.search(query, self.k)
        return [
            LCDocument(
                page_content=p.text,
                id=p.chunk_id,
                metadata={
                    "chunk_id": p.chunk_id, "doc_id": p.doc_id, "title": p.title,
                    "section": p.section, "start": p.start, "end": p.end, "score": p.score,
                    "relevant": result.relevant,
                },
            )
            for p in result.passages
        ]
