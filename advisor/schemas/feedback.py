"""Feedback on a reply: what a person sends (thumbs up/down, an optional comment) and what is kept.

A kept record holds the whole exchange (the conversation that was sent, the reply with its
citations and recommendation), so it can later be exported as a training or evaluation example:
ship with retrieval, collect real interactions, then fine-tune on the hard cases.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from advisor.schemas.reply import AdvisorReply, ChatMessage

Rating = Literal["up", "down"]
MAX_COMMENT_CHARS = 4000


def clean_comment(value: str | None) -> str | None:
    """Strip a comment; blank means none. Raises ValueError when it is too long."""
    text = (value or "").strip()
    if len(text) > MAX_COMMENT_CHARS:
        raise ValueError(f"the comment has {len(text)} characters (at most {MAX_COMMENT_CHARS})")
    return text or None


class FeedbackIn(BaseModel):
    """A rating of one reply, with the conversation that produced it."""

    rating: Rating = Field(description="'up' when the reply helped, 'down' when it did not.")
    conversation: list[ChatMessage] = Field(
        default_factory=list, description="The messages that were sent to the advisor for this reply."
    )
    reply: AdvisorReply = Field(description="The reply being rated, as the advisor returned it.")
    comment: str | None = Field(
        None, max_length=MAX_COMMENT_CHARS, description="What was good or wrong (optional)."
    )

    @field_validator("comment")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return clean_comment(value)


class FeedbackRecord(FeedbackIn):
    """A stored rating."""

    id: int
    created_at: datetime

    def messages(self) -> list[ChatMessage]:
        """The conversation followed by the rated answer (not repeated if already there)."""
        convo = list(self.conversation)
        answer = self.reply.answer
        if not (convo and convo[-1].role == "assistant" and convo[-1].content == answer):
            convo.append(ChatMessage(role="assistant", content=answer))
        return convo

    def training_record(self) -> dict[str, Any]:
        """One line of the JSONL export: a chat example plus what the advisor decided and cited."""
        reply = self.reply
        return {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "rating": self.rating,
            "comment": self.comment,
            "messages": [m.model_dump() for m in self.messages()],
            "recommendation": reply.recommendation.model_dump(mode="json"),
            "citations": [c.model_dump(mode="json") for c in reply.citations],
            "situation": reply.situation.model_dump(mode="json"),
            "model": reply.model,
        }
