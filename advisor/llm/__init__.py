"""Chat models: one factory for the offline mock and every provider LangChain knows, and the
structured extraction of a Situation through a chat model (``extractor``).

May import: ``advisor.config``, ``advisor.schemas``, ``advisor.decision``, ``advisor.extraction``,
``advisor.answer`` (the offline model composes with it). Never the service or the faces."""

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
