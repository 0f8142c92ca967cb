"""The chat-model path against a REAL OpenAI-compatible server: llama.cpp (xllamacpp) serving
SmolLM2-135M-Instruct on loopback, one server per test session (`local_model` fixture), asked
few, short questions. A 135M model invents figures and addresses freely, which is the point:
whatever it writes, only what the pages say reaches the resident."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chatbot.composer import ExtractiveComposer
from chatbot.llm_composer import LLMComposer, LLMSettings, restore_links, tokenise_links
from chatbot.llm_provider import create_chat_model
from knowledge.types import Chunk, RetrievedChunk

TEXT = (
    "A garden waste subscription costs £52 a year for one brown bin.\n"
    "Sign up at [garden waste](https://council.example/gw/sign-up) or call 01632 960111."
)
_MONEY = re.compile(r"£\s?\d[\d,.]*")
_ADDRESS = re.compile(r"https?://[^\s)\]]+|www\.[^\s)\]]+")

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_tiktoken")]


def sections() -> list[RetrievedChunk]:
    chunk = Chunk(
        "g#1",
        "garden-waste.md",
        "Garden waste collection",
        ("Garden waste collection",),
        "Cost",
        "cost",
        "https://council.example/gw",
        None,
        TEXT,
        "bins",
        "h1",
    )
    return [RetrievedChunk(chunk, 0.03, 3.0, 0.8, 1, 1)]


class Recording:
    """The real chat model, keeping its raw replies so the test can compare them."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.raw: list[str] = []

    def invoke(self, messages: Any) -> Any:
        reply = self.model.invoke(messages)
        self.raw.append(str(reply.content))
        return reply


def composer(local_model, embedder, timeout: float = 120.0) -> tuple[LLMComposer, Recording]:  # type: ignore[no-untyped-def]
    settings = LLMSettings(
        provider="openai",
        model="smollm2",
        base_url=local_model.base_url,
        timeout_seconds=timeout,
        max_tokens=32,
        council_name="Brackenvale Council",
    )
    model = Recording(create_chat_model(settings))
    return LLMComposer(settings, ExtractiveComposer(embedder), model=model), model


def test_link_tokens_from_the_real_model_are_mapped_back(local_model, embedder) -> None:  # type: ignore[no-untyped-def]
    llm, model = composer(local_model, embedder)
    answer = llm.compose("what is the link to sign up for garden waste?", sections(), 60)
    _, links = tokenise_links(sections())
    raw = model.raw[0]
    assert re.search(r"\[LINK-\d+\]", raw), raw  # the model copied a token it was given
    restored = restore_links(raw, links)
    for token in set(re.findall(r"\[LINK-\d+\]", raw)) & set(links):
        assert links[token] in restored
    # what a resident would read: no tokens, and no address that is not on the council's pages
    assert "[LINK-" not in answer.text
    assert set(_ADDRESS.findall(answer.text)) <= set(links.values()), answer.text
    assert answer.model["tokens_in"] > 50 and answer.model["tokens_out"] > 0  # server's usage


def test_whatever_the_real_model_invents_is_never_shown(local_model, embedder) -> None:  # type: ignore[no-untyped-def]
    llm, model = composer(local_model, embedder)
    answer = llm.compose("how much is the garden waste bin a year", sections(), 60)
    invented = [f for f in _MONEY.findall(model.raw[0]) if f.rstrip(".,") not in TEXT]
    shown = _MONEY.findall(answer.text)
    assert all(f.rstrip(".,") in TEXT for f in shown), answer.text
    if invented:  # SmolLM2 says "£5.20" here: the guard must have said why it went
        assert any(f.rstrip(".,") in " ".join(answer.notes) for f in invented), answer.notes
    assert answer.model["outcome"] in {"used", "trimmed_by_guard", "rejected_by_guard"}


def test_a_timeout_falls_back_within_the_configured_time(local_model, embedder) -> None:  # type: ignore[no-untyped-def]
    llm, _ = composer(local_model, embedder, timeout=0.3)
    answer = llm.compose("where do i sign up for garden waste", sections(), 60)
    # the wait for the model (measured from the call to the fallback) ends at the timeout
    assert 300 <= answer.model["ms"] < 300 + 250, answer.model
    assert answer.model["outcome"] == "timeout"
    assert (
        answer.text
        == ExtractiveComposer(embedder)
        .compose("where do i sign up for garden waste", sections(), 60)
        .text
    )
