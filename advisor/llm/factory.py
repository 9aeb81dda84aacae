"""``ADVISOR_LLM`` -> a LangChain chat model, failing at start-up with a clear message.

``offline`` (the default) is the deterministic mock; ``provider:model`` goes through LangChain's
``init_chat_model``. Real model calls can be switched off process-wide (the test suite does:
only tests marked ``live`` may reach a provider), in the manner of pydantic-ai's
``ALLOW_MODEL_REQUESTS``.
"""

from __future__ import annotations

import importlib.util
import os

from langchain_core.language_models import BaseChatModel

from advisor.llm.offline import OfflineChatModel

ALLOW_MODEL_REQUESTS = os.environ.get("ADVISOR_ALLOW_MODEL_REQUESTS", "1") != "0"

# provider -> (python package, extra to install, environment variable holding its key)
PROVIDERS: dict[str, tuple[str, str, str | None]] = {
    "openai": ("langchain_openai", "openai", "OPENAI_API_KEY"),
    "anthropic": ("langchain_anthropic", "anthropic", "ANTHROPIC_API_KEY"),
    "ollama": ("langchain_ollama", "ollama", None),
    "google_genai": ("langchain_google_genai", "google", "GOOGLE_API_KEY"),
    "mistralai": ("langchain_mistralai", "mistral", "MISTRAL_API_KEY"),
    "groq": ("langchain_groq", "groq", "GROQ_API_KEY"),
}


class LLMConfigError(RuntimeError):
    """ADVISOR_LLM names a model that cannot be used here."""


def make_chat_model(spec: str) -> BaseChatModel:
    spec = (spec or "offline").strip()
    if spec == "offline":
        return OfflineChatModel()
    provider, sep, model = spec.partition(":")
    if not sep or not provider or not model:
        raise LLMConfigError(
            f"ADVISOR_LLM={spec!r}: use 'offline' or 'provider:model' (e.g. openai:gpt-4o-mini)"
        )
    if not ALLOW_MODEL_REQUESTS:
        raise LLMConfigError(
            f"real model requests are disabled here (ADVISOR_ALLOW_MODEL_REQUESTS=0); "
            f"cannot use {spec!r}"
        )
    package, extra, key_var = PROVIDERS.get(provider, (f"langchain_{provider}", provider, None))
    if importlib.util.find_spec(package) is None:
        raise LLMConfigError(
            f"ADVISOR_LLM={spec!r} needs the {package} package: pip install 'advisor[{extra}]'"
        )
    if key_var and not os.environ.get(key_var):
        raise LLMConfigError(f"ADVISOR_LLM={spec!r} needs {key_var} to be set")
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(model, model_provider=provider, temperature=0)
    except Exception as exc:  # noqa: BLE001 - provider constructors raise anything
        raise LLMConfigError(f"cannot start ADVISOR_LLM={spec!r}: {exc}") from exc


def model_label(spec: str) -> str:
    return (spec or "offline").strip()
