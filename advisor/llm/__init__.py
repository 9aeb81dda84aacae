"""Chat models: one factory for the offline mock and every provider LangChain knows."""

from advisor.llm.errors import ModelUnavailable
from advisor.llm.factory import LLMConfigError, chat_model_from_settings, make_chat_model
from advisor.llm.offline import OfflineChatModel

__all__ = [
    "LLMConfigError",
    "ModelUnavailable",
    "OfflineChatModel",
    "chat_model_from_settings",
    "make_chat_model",
]
