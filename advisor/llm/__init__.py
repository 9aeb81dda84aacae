"""Chat models: one factory for the offline mock and every provider LangChain knows."""

from advisor.llm.factory import LLMConfigError, make_chat_model
from advisor.llm.offline import OfflineChatModel

__all__ = ["LLMConfigError", "OfflineChatModel", "make_chat_model"]
