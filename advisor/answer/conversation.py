"""Conversations as the service receives them: validation and the views it needs."""

from __future__ import annotations

import re
from collections.abc import Sequence

from advisor.schemas.reply import ChatMessage

RETRIEVAL_TURNS = 3
_SURROGATE = re.compile("[\ud800-\udfff]")


class ConversationError(ValueError):
    """A conversation the advisor cannot answer (empty, too long, last turn not the user's)."""


def validate(messages: Sequence[ChatMessage], *, max_chars: int, max_turns: int) -> None:
    if not messages:
        raise ConversationError("the conversation is empty: send at least one user message")
    if len(messages) > max_turns:
        raise ConversationError(f"too many messages: {len(messages)} (at most {max_turns})")
    for i, m in enumerate(messages):
        if not m.content.strip():
            raise ConversationError(f"message {i} is empty")
        if len(m.content) > max_chars:
            raise ConversationError(
                f"message {i} has {len(m.content)} characters (at most {max_chars})"
            )
        if bad := _SURROGATE.search(m.content):
            raise ConversationError(
                f"message {i} is not valid Unicode text (a lone surrogate at character "
                f"{bad.start()}); send UTF-8 text"
            )
    if messages[-1].role != "user":
        raise ConversationError("the last message must come from the user")


def user_messages(messages: Sequence[ChatMessage]) -> list[str]:
    return [m.content for m in messages if m.role == "user"]


def asked_before(messages: Sequence[ChatMessage], index: int) -> str | None:
    """The assistant message right before ``messages[index]``, if any (context for extraction)."""
    if index > 0 and messages[index - 1].role == "assistant":
        return messages[index - 1].content[-500:]
    return None


def retrieval_query(messages: Sequence[ChatMessage]) -> str:
    """The latest user message, followed by the earlier ones: a follow-up keeps its context."""
    users = user_messages(messages)
    recent = users[-RETRIEVAL_TURNS:]
    return "\n".join([recent[-1], *reversed(recent[:-1])])
