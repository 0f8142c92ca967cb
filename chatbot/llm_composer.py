"""Optional: answers written by a LangChain chat model, from the retrieved sections only.

- The model sees only the retrieved sections, each web address replaced by a token
  (`[LINK-1]`) it cannot alter; tokens in its answer are mapped back, and any address or token
  it made up is removed.
- If the call fails, times out or the model says the sections do not answer the question, the
  extractive answer is used instead (and the confidence step decides, as ever, whether to
  escalate): never both silent and wrong.
- Providers are created lazily: `openai` (any OpenAI-compatible endpoint), `azure`, `ollama`.
  They need `langchain-openai` or `langchain-ollama` (`pip install 'townhall[llm]'`).
  `fake` is a canned model from langchain_core for tests only; it is labelled as a fake.
"""

from __future__ import annotations

import concurrent.futures
import logging
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from chatbot.composer import Composition, ExtractiveComposer, plain, truncate_words
from knowledge.types import RetrievedChunk

log = logging.getLogger(__name__)

NO_ANSWER = "NO_ANSWER"
FAKE_LABEL = "[fake model for tests]"
SYSTEM_PROMPT = (
    "You answer residents' questions for {council}. Use ONLY the numbered sections below; "
    "never add facts, numbers or advice that are not in them. Write plain English, at most "
    "{max_words} words. Web addresses appear as tokens like [LINK-1]: copy a token exactly "
    "where a link helps, never write a web address yourself. If the sections do not answer "
    f"the question, reply with exactly {NO_ANSWER}."
)
_URL = re.compile(r"https?://[^\s)\]>\"']+")
_TOKEN = re.compile(r"\[LINK-(\d+)\]")


@dataclass(frozen=True)
class LLMSettings:
    provider: str  # openai | azure | ollama | fake
    model: str = ""
    base_url: str | None = None
    api_key: str | None = None
    timeout_seconds: float = 20.0
    council_name: str = "the council"


class LLMUnavailable(RuntimeError):
    """The configured provider cannot be created (for example its package is missing)."""


def create_chat_model(settings: LLMSettings) -> Any:
    """The LangChain chat model for the settings, imported only when asked for."""
    provider = settings.provider.lower()
    try:
        if provider in ("openai", "openai-compatible"):
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                model=settings.model,
                base_url=settings.base_url,
                api_key=settings.api_key,
                timeout=settings.timeout_seconds,
                max_retries=0,
                temperature=0,
            )
        if provider == "azure":
            from langchain_openai import AzureChatOpenAI

            return AzureChatOpenAI(
                azure_deployment=settings.model,
                azure_endpoint=settings.base_url,
                api_key=settings.api_key,
                timeout=settings.timeout_seconds,
                max_retries=0,
                temperature=0,
            )
        if provider == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(model=settings.model, base_url=settings.base_url, temperature=0)
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


class LLMComposer:
    """Writes the answer with a chat model; falls back to the extractive composer."""

    name = "llm"

    def __init__(
        self,
        settings: LLMSettings,
        fallback: ExtractiveComposer,
        model: Any | None = None,
    ) -> None:
        self.settings = settings
        self.fallback = fallback
        self._model = model
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = create_chat_model(self.settings)
        return self._model

    def compose(
        self,
        question: str,
        retrieved: list[RetrievedChunk],
        max_words: int,
        question_embedding: np.ndarray | None = None,
    ) -> Composition:
        extractive = self.fallback.compose(question, retrieved, max_words, question_embedding)
        if not retrieved or not extractive.text:
            return extractive
        chunks = extractive.chunks or retrieved[:3]
        context, links = tokenise_links(chunks)
        messages = [
            (
                "system",
                SYSTEM_PROMPT.format(council=self.settings.council_name, max_words=max_words),
            ),
            ("human", f"Sections:\n{context}\n\nQuestion: {question}"),
        ]
        try:
            future = self._pool.submit(self.model.invoke, messages)
            reply = future.result(timeout=self.settings.timeout_seconds)
        except concurrent.futures.TimeoutError:
            log.warning(
                "chat model timed out after %.0fs; extractive answer used",
                self.settings.timeout_seconds,
            )
            return extractive
        except Exception as exc:  # provider errors vary; the extractive answer stands in
            log.warning("chat model failed (%s); extractive answer used", type(exc).__name__)
            return extractive
        text = str(getattr(reply, "content", reply) or "").strip()
        if not text or NO_ANSWER in text:
            return replace(extractive, text="")  # the model says the pages do not answer it
        return replace(extractive, text=truncate_words(restore_links(text, links), max_words))


def tokenise_links(chunks: list[RetrievedChunk]) -> tuple[str, dict[str, str]]:
    """The sections as the model sees them, with every web address replaced by a token."""
    links: dict[str, str] = {}
    by_url: dict[str, str] = {}

    def token_for(url: str) -> str:
        if url not in by_url:
            by_url[url] = f"[LINK-{len(by_url) + 1}]"
            links[by_url[url]] = url
        return by_url[url]

    blocks = []
    for n, rc in enumerate(chunks, 1):
        c = rc.chunk
        body = "\n".join(plain(line) for line in c.text.splitlines())
        body = _URL.sub(lambda m: token_for(m.group(0)), body)
        page_link = f" {token_for(c.url)}" if c.url else ""
        blocks.append(f"[{n}] {c.title} > {c.section}{page_link}\n{body}")
    return "\n\n".join(blocks), links


def restore_links(text: str, links: dict[str, str]) -> str:
    """Tokens back to addresses; invented tokens and addresses the model wrote are removed."""
    text = _URL.sub("", text)
    text = _TOKEN.sub(lambda m: links.get(m.group(0), ""), text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
