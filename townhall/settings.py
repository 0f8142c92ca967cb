"""Settings for the whole product, read once in the composition root.

Lower layers never read the environment: they take the plain values they need from here.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob a council can turn, from `TOWNHALL_*` variables or an optional `.env`."""

    model_config = SettingsConfigDict(
        env_prefix="TOWNHALL_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("var")
    database_url: str | None = None
    chroma_url: str | None = None
    redis_url: str | None = None

    # Council profile (name, contacts, signposting); None means the demo council shipped with us.
    council_profile: Path | None = None

    # Resident pipeline
    max_message_chars: int = Field(1000, ge=10, le=20000)
    confidence_threshold: float = Field(0.7, ge=0.0, le=1.0)  # docs/calibration.md
    approved_match_threshold: float = Field(0.86, ge=0.0, le=1.0)
    conversation_ttl_minutes: int = Field(60, ge=1)
    retrieval_k: int = Field(5, ge=1, le=50)
    answer_max_words: int = Field(120, ge=30, le=400)
    chat_rate_per_minute: int = Field(30, ge=1)
    reference_rate_per_minute: int = Field(20, ge=1)

    # Optional chat model (LangChain). Empty provider means the offline extractive composer.
    llm_provider: str = ""
    llm_model: str = ""
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout_seconds: float = Field(20.0, gt=0)

    # Staff app
    session_hours: int = Field(8, ge=1)
    claim_ttl_minutes: int = Field(30, ge=1)
    lockout_attempts: int = Field(5, ge=1)
    lockout_minutes: int = Field(15, ge=1)
    cookie_secure: bool = False

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'townhall.db').resolve()}"

    @property
    def knowledge_dir(self) -> Path:
        return self.data_dir / "knowledge"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def evals_dir(self) -> Path:
        return self.data_dir / "evals"
