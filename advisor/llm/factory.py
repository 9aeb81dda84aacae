"""``ADVISOR_LLM`` -> a LangChain chat model, failing at start-up with a clear message.

``offline`` (the default) is the deterministic mock; ``provider:model`` goes through LangChain's
``init_chat_model``. Real model calls can be switched off process-wide (the test suite does:
only tests marked ``live`` may reach a provider), in the manner of pydantic-ai's
``ALLOW_MODEL_REQUESTS``.
"""

from __future__ import annotations

import importlib.util
import os
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel

from advisor.llm.offline import OfflineChatModel

if TYPE_CHECKING:
    from advisor.config import Settings

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


def _provider_options(
    provider: str, base_url: str | None, api_key: str | None, timeout_s: float | None,
    max_tokens: int | None,
) -> dict[str, object]:
    """Constructor keywords for the connection settings, under the names the provider's class
    uses. ``openai`` is the first-class path: any OpenAI-compatible server by base URL."""
    options: dict[str, object] = {}
    if provider in ("openai", "anthropic"):
        if base_url:
            options["base_url"] = base_url
        if api_key:
            options["api_key"] = api_key
        elif base_url and provider == "openai":
            options["api_key"] = "unused"  # local servers want none; the SDK insists on one
        if timeout_s is not None:
            options["timeout"] = timeout_s
        if max_tokens is not None:
            options["max_tokens"] = max_tokens  # sent as max_completion_tokens by ChatOpenAI
            if provider == "openai" and base_url and "api.openai.com" not in base_url:
                # ...which llama-cpp-python's server ignores (it generates up to the context's
                # end): compatible servers get the older max_tokens too
                options["extra_body"] = {"max_tokens": max_tokens}
        options["max_retries"] = 0  # the SDKs retry twice by default: 3x the timeout on a failure
    elif provider == "ollama" and base_url:
        options["base_url"] = base_url
    return options


def make_chat_model(
    spec: str,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout_s: float | None = None,
    max_tokens: int | None = None,
) -> BaseChatModel:
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
    if key_var and not (api_key or base_url or os.environ.get(key_var)):
        raise LLMConfigError(
            f"ADVISOR_LLM={spec!r} needs {key_var} (or ADVISOR_LLM_API_KEY) to be set"
        )
    from langchain.chat_models import init_chat_model

    options = _provider_options(provider, base_url, api_key, timeout_s, max_tokens)
    try:
        return init_chat_model(model, model_provider=provider, temperature=0, **options)
    except Exception as exc:
        raise LLMConfigError(f"cannot start ADVISOR_LLM={spec!r}: {exc}") from exc


def chat_model_from_settings(settings: Settings) -> BaseChatModel:
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return make_chat_model(
        settings.llm, base_url=settings.llm_base_url, api_key=key,
        timeout_s=settings.llm_timeout_s, max_tokens=settings.llm_max_tokens,
    )


def model_label(spec: str) -> str:
    return (spec or "offline").strip()
