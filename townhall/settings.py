"""Settings for the whole product, read once in the composition root.

Lower layers never read the environment: they take the plain values they need from here.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob a council can turn, from `TOWNHALL_*` variables or an optional `.env`."""

    model_config = SettingsConfigDict(
        env_prefix="TOWNHALL_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("var")
    database_url: str | None = None
    # SQLite only: how long a request waits for another writer's lock before the resident is
    # told "we cannot answer right now" (503 with the council's contacts) instead.
    sqlite_busy_timeout_seconds: float = Field(30.0, gt=0, le=600)
    chroma_url: str | None = None
    redis_url: str | None = None

    # Edge (townhall/edge.py, SECURITY.md): whose X-Forwarded-For is believed, which Host
    # names are served, and the key for signing and pseudonyms (else a file in the data dir).
    trusted_proxies: str = ""
    allowed_hosts: str = "127.0.0.1,localhost,[::1]"
    secret_key: SecretStr | None = None
    api_docs: bool = True  # /docs from vendored Swagger UI files (townhall/api_docs.py)

    # Council profile (name, contacts, signposting); None means the demo council shipped with us.
    council_profile: Path | None = None

    # Resident pipeline
    max_message_chars: int = Field(1000, ge=10, le=20000)
    # None: the threshold fitted with the answer confidence (docs/calibration.md)
    confidence_threshold: float | None = Field(None, ge=0.0, le=1.0)
    approved_match_threshold: float = Field(0.86, ge=0.0, le=1.0)
    conversation_ttl_minutes: int = Field(60, ge=1)
    retrieval_k: int = Field(5, ge=1, le=50)
    answer_max_words: int = Field(150, ge=30, le=400)
    chat_rate_per_minute: int = Field(30, ge=1)
    reference_rate_per_minute: int = Field(20, ge=1)

    # Optional chat model (LangChain). Empty provider means the offline extractive composer.
    llm_provider: str = ""
    llm_model: str = ""
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout_seconds: float = Field(20.0, gt=0)  # the whole answer, retries included
    llm_max_retries: int = Field(2, ge=0, le=10)  # 429 and 5xx, with back-off
    llm_max_tokens: int = Field(300, ge=16, le=4000)
    llm_sections: int = Field(3, ge=1, le=10)  # retrieved sections the model is given
    llm_api_version: str | None = None  # Azure OpenAI only

    # Staff app
    session_hours: int = Field(8, ge=1)
    claim_ttl_minutes: int = Field(30, ge=1)
    lockout_attempts: int = Field(5, ge=1)
    lockout_minutes: int = Field(15, ge=1)
    cookie_secure: bool = False
    sign_in_rate_per_minute: int = Field(10, ge=1)  # per client
    sign_in_account_rate_per_hour: int = Field(30, ge=1)  # per typed email, known or not

    # Outbox: staff alerts and emails to residents (outbox/, townhall/background.py)
    public_url: str = "http://127.0.0.1:8000"  # the address in links sent by email or webhook
    smtp_url: str | None = None  # smtp://[user:password@]host:port, smtps:// for TLS
    mail_from: str = "townhall@localhost"
    alert_email: str | None = None  # the on-call address for urgent and overdue items
    alert_webhook_url: str | None = None  # JSON POST per alert (reference, route, link...)
    alert_unclaimed_minutes: int = Field(1440, ge=1)
    alert_repeat_minutes: int = Field(1440, ge=1)
    alert_urgent_repeat_minutes: int = Field(15, ge=1)
    outbox_poll_seconds: float = Field(5.0, gt=0)
    outbox_retry_seconds: float = Field(30.0, gt=0)
    outbox_max_attempts: int = Field(10, ge=1)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        from chatbot.client_identity import parse_networks

        parse_networks(value)  # a bad entry stops start-up with its name
        return value

    @property
    def trusted_proxy_networks(self) -> tuple:
        from chatbot.client_identity import parse_networks

        return parse_networks(self.trusted_proxies)

    @property
    def allowed_host_names(self) -> list[str]:
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()] or ["127.0.0.1"]

    # Personal data: who may open questions holding special-category (UK GDPR Art. 9) data,
    # and how long transcripts and closed review items are kept (flagged ones for less)
    special_category_roles: str = "reviewer,admin"
    retention_days: int = Field(90, ge=1)
    special_category_retention_days: int = Field(30, ge=1)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'townhall.db').resolve()}"

    @property
    def special_category_role_list(self) -> tuple[str, ...]:
        return tuple(r.strip() for r in self.special_category_roles.split(",") if r.strip())

    @property
    def knowledge_dir(self) -> Path:
        return self.data_dir / "knowledge"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def evals_dir(self) -> Path:
        return self.data_dir / "evals"
