"""The chat model behind `TOWNHALL_LLM_PROVIDER`, created only when asked for.

- `openai`: any OpenAI-compatible `/v1` endpoint (`TOWNHALL_LLM_BASE_URL`): OpenAI, a
  gateway, llama.cpp's server, vLLM, LM Studio, Ollama's `/v1`.
- `azure`: Azure OpenAI (`TOWNHALL_LLM_BASE_URL` = the resource endpoint, `TOWNHALL_LLM_MODEL` =
  the deployment name, `TOWNHALL_LLM_API_VERSION`).
- `ollama`: Ollama's own API through `langchain-ollama` (not installed by default).
- `fake`: a canned model from langchain_core, for tests only, labelled as a fake.

Token counts come from the server's `usage` in each response (`stream_usage=True` asks for it
when streaming): nothing here counts tokens locally (tiktoken would try to download its
encodings, which fails offline).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FAKE_LABEL = "[fake model for tests]"
NO_KEY = "not-needed"  # local OpenAI-compatible servers take any key; the client insists on one


@dataclass(frozen=True)
class LLMSettings:
    provider: str  # openai | azure | ollama | fake
    model: str = ""
    base_url: str | None = None
    api_key: str | None = None
    timeout_seconds: float = 20.0  # the whole answer, retries included
    max_retries: int = 2  # 429 and 5xx are retried with back-off within the timeout
    max_tokens: int = 300
    sections: int = 3  # retrieved sections the model is given
    api_version: str | None = None  # Azure OpenAI only
    council_name: str = "the council"


class LLMUnavailable(RuntimeError):
    """The configured provider cannot be created (for example its package is missing)."""


def create_chat_model(settings: LLMSettings) -> Any:
    """The LangChain chat model for the settings, imported only when asked for."""
    provider = settings.provider.lower()
    common: dict[str, Any] = {
        "timeout": settings.timeout_seconds,
        "max_retries": settings.max_retries,
        "temperature": 0,
        "max_tokens": settings.max_tokens,
        "stream_usage": True,
    }
    try:
        if provider in ("openai", "openai-compatible"):
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                model=settings.model or "default",
                base_url=settings.base_url,
                api_key=settings.api_key or NO_KEY,
                **common,
            )
        if provider == "azure":
            from langchain_openai import AzureChatOpenAI

            return AzureChatOpenAI(
                azure_deployment=settings.model,
                azure_endpoint=settings.base_url,
                api_key=settings.api_key,
                api_version=settings.api_version or "2024-10-21",
                **common,
            )
        if provider == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(
                model=settings.model,
                base_url=settings.base_url,
                temperature=0,
                num_predict=settings.max_tokens,
                client_kwargs={"timeout": settings.timeout_seconds},
            )
    except ImportError as exc:
        package = "langchain-ollama" if provider == "ollama" else "langchain-openai"
        raise LLMUnavailable(
            f"TOWNHALL_LLM_PROVIDER={provider} needs the {package} package: "
            f"pip install {package} (or pip install 'townhall[llm]')"
        ) from exc
    if provider == "fake":
        from langchain_core.language_models.fake_chat_models import FakeListChatModel

        return FakeListChatModel(responses=[f"{FAKE_LABEL} See [LINK-1]."])
    raise LLMUnavailable(f"unknown TOWNHALL_LLM_PROVIDER {settings.provider!r}")
