"""What the Advisor answers: a cited Markdown answer ending in a typed recommendation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from advisor.schemas.decision import Recommendation, Situation

Role = Literal["user", "assistant", "system"]
ExtractionSource = Literal["llm", "offline", "offline_fallback"]
CompositionSource = Literal["llm", "offline", "offline_fallback"]


class ChatMessage(BaseModel):
    role: Role = Field(description="Who wrote the message: user, assistant or system.")
    content: str = Field(description="The message text.")


class Citation(BaseModel):
    """A passage the answer cites as ``[n]``."""

    n: int = Field(ge=1, description="The marker number used in the answer.")
    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str = Field(description="The passage text, verbatim from the article.")
    start: int = Field(description="Offset of the passage in the article text.")
    end: int
    score: float = Field(description="Retrieval score (0 for passages cited as rule evidence).")


class AdvisorReply(BaseModel):
    answer: str = Field(description="Markdown answer whose claims cite passages as [n].")
    citations: list[Citation] = Field(description="Every passage the answer cites, by n.")
    recommendation: Recommendation
    situation: Situation = Field(description="The situation as understood so far.")
    follow_up_questions: list[str] = Field(
        description="Questions whose answers could change the recommendation, most decisive first."
    )
    changes: list[str] = Field(
        default_factory=list, description="What this turn changed in the situation and decision."
    )
    covered: bool = Field(description="False when the articles do not cover the question.")
    model: str = Field(description="Which chat model composed the answer.")
    extraction: ExtractionSource = Field(
        description="Who turned the conversation into a Situation: 'llm' (the chat model), "
        "'offline' (the offline reader, the configured model) or 'offline_fallback' (the offline "
        "reader, standing in for a model whose output was invalid)."
    )
    composition: CompositionSource = Field(
        "offline",
        description="Who wrote the answer: 'llm', 'offline' (the offline composer, the configured "
        "model) or 'offline_fallback' (the offline composer, standing in for a model answer that "
        "failed the check: no valid citation, empty, or cut off).",
    )
    fallback_reasons: list[str] = Field(
        default_factory=list,
        description="Why the offline reader or composer stood in for the model, when it did.",
    )
    answer_revised: bool = Field(
        False,
        description="Streaming only: the checked answer differs from the text streamed before it "
        "(invalid markers removed, or the offline answer replaced the model's); show this one.",
    )
    invalid_citations_removed: int = Field(
        0, description="Markers the composer produced that pointed at no supplied passage."
    )
    timings_ms: dict[str, float] = Field(default_factory=dict)
