"""Settings: one pydantic-settings class, read from ``ADVISOR_*`` variables (and ``.env``).

Build it with :func:`load_settings` and pass it in; there is no module-level instance.
Every field is documented in the README's settings table (a test keeps them in step).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent
SHIPPED_KNOWLEDGE = PACKAGE_ROOT.parent / "knowledge"


class Settings(BaseSettings):
    """Everything the advisor can be told from outside."""

    model_config = SettingsConfigDict(
        env_prefix="ADVISOR_", env_file=".env", extra="ignore", frozen=True
    )

    data_dir: Path = Field(
        Path(".advisor"),
        description="Where the embedded Chroma store, the fitted embedder and feedback live.",
    )
    knowledge_dir: Path = Field(
        SHIPPED_KNOWLEDGE, description="Folder of articles ingested when the store is empty."
    )
    chroma_url: str | None = Field(
        None, description="URL of a Chroma server (e.g. http://127.0.0.1:8000); unset = embedded."
    )
    collection: str = Field("advisor", min_length=3, description="Chroma collection name.")
    embedding_model: str = Field(
        "offline",
        description="'offline' (corpus-fitted static model under data_dir) or any "
        "sentence-transformers model name or path.",
    )
    llm: str = Field(
        "offline", description="'offline' (deterministic mock) or provider:model for init_chat_model."
    )
    llm_base_url: str | None = Field(
        None,
        description="Base URL of an OpenAI-compatible server for openai: models (llama.cpp, vLLM, "
        "Ollama's /v1, LM Studio); unset = the provider's own.",
    )
    llm_api_key: SecretStr | None = Field(
        None, description="API key for the chat model; unset = the provider's variable."
    )
    llm_structured_output: Literal["auto", "json_schema", "function_calling", "json_mode"] = Field(
        "auto",
        description="How the Situation is asked of a real model; auto = the strongest the "
        "server accepts (json_schema, then function_calling, then json_mode).",
    )
    llm_max_tokens: int = Field(
        600, ge=16, le=32_000, description="Most tokens a real model may write in one answer."
    )
    llm_timeout_s: float = Field(
        120.0, gt=0, le=3600, description="Seconds a real model may take for one call."
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages retrieved per question.")
    chunk_max_chars: int = Field(1200, ge=200, le=8000, description="Upper bound of a chunk.")
    chunk_overlap_chars: int = Field(200, ge=0, le=1000, description="Overlap between chunks.")
    min_relevance: float = Field(
        0.35, ge=0.0, le=1.0, description="Below this query coverage nothing counts as relevant."
    )
    hf_offline: bool = Field(True, description="Set HF_HUB_OFFLINE=1 (no model hub at run time).")
    api_key: SecretStr | None = Field(None, description="Bearer key for write endpoints.")
    require_key_for_reads: bool = Field(False, description="Require the API key on reads too.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (JSON list); empty = CORS off."
    )
    max_message_chars: int = Field(4000, ge=1, description="Longest accepted chat message.")
    max_turns: int = Field(40, ge=1, description="Most messages accepted in one conversation.")
    max_body_bytes: int = Field(262_144, ge=1024, description="Largest accepted request body.")
    max_document_chars: int = Field(200_000, ge=1, description="Largest document via the API.")
    # -- limits and throttles of the served app (docs/reliability.md) --
    max_header_bytes: int = Field(16_384, ge=1024, description="Largest request head (431 above).")
    read_timeout_s: float = Field(
        15.0, gt=0, description="Seconds a client has to send a request's head, then its body."
    )
    max_feedback_bytes: int = Field(
        131_072, ge=1024, description="Largest feedback record stored (413 above)."
    )
    feedback_per_minute: int = Field(
        20, ge=0, description="Anonymous feedback accepted per client a minute (0: no limit)."
    )
    auth_failures_per_minute: int = Field(
        10, ge=0, description="Wrong keys a client may send a minute before 429 (0: no limit)."
    )
    host: str = Field("127.0.0.1", description="Address `advisor serve` binds.")
    port: int = Field(7860, ge=1, le=65535, description="Port `advisor serve` binds.")

    @field_validator("data_dir", "knowledge_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def embedder_path(self) -> Path:
        return self.data_dir / "embedder"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.sqlite3"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides winning."""
    return Settings(**overrides)  # type: ignore[arg-type]
