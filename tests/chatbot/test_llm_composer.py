"""The optional chat-model composer, driven by langchain_core's FAKE chat models (tests only):
links tokenised and restored, invented links dropped, failures and timeouts fall back."""

from __future__ import annotations

import time
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from chatbot.answering.grounding import GroundingGuard, GroundingResult
from chatbot.composer import ExtractiveComposer
from chatbot.llm_composer import (
    FAKE_LABEL,
    LLMComposer,
    LLMSettings,
    LLMUnavailable,
    create_chat_model,
    restore_links,
    tokenise_links,
)
from knowledge.types import Chunk, RetrievedChunk

TEXT = (
    "Garden waste costs £52 a year. Sign up at [garden waste](https://council.example/gw/sign-up)."
)


def chunks() -> list[RetrievedChunk]:
    chunk = Chunk(
        "g#1",
        "g.md",
        "Garden waste",
        ("Garden waste",),
        "Cost",
        None,
        "https://council.example/gw",
        None,
        TEXT,
        None,
        "h",
    )
    return [RetrievedChunk(chunk, 0.03, 3.0, 0.8, 1, 1)]


def composer(model: Any, timeout: float = 5.0, embedder: Any = None) -> LLMComposer:
    settings = LLMSettings(provider="fake", timeout_seconds=timeout)
    return LLMComposer(settings, fallback=ExtractiveComposer(embedder), model=model)


def test_links_become_tokens_and_come_back() -> None:
    context, links = tokenise_links(chunks())
    assert "https://" not in context
    assert set(links.values()) == {
        "https://council.example/gw",
        "https://council.example/gw/sign-up",
    }
    token = next(t for t, url in links.items() if url.endswith("sign-up"))
    restored = restore_links(
        f"Sign up here: {token}. Or see [LINK-99] or https://evil.example/x", links
    )
    assert restored == "Sign up here: https://council.example/gw/sign-up. Or see or"


def test_model_answer_is_used_with_real_links(embedder) -> None:  # type: ignore[no-untyped-def]
    _, links = tokenise_links(chunks())
    token = next(t for t, url in links.items() if url.endswith("sign-up"))
    model = FakeListChatModel(responses=[f"It costs £52 a year. Sign up: {token}"])
    answer = composer(model, embedder=embedder).compose("how much is garden waste", chunks(), 120)
    assert answer.text == "It costs £52 a year. Sign up: https://council.example/gw/sign-up"
    assert answer.chunks and answer.coverage > 0


def test_a_model_answer_keeps_the_units_its_confidence_is_scored_on(embedder) -> None:  # type: ignore[no-untyped-def]
    # The answer confidence reads the quoted units and the lead unit: a model answer that lost
    # them was scored as if nothing had been found, and every model answer was escalated.
    question = "how much is garden waste"
    extractive = ExtractiveComposer(embedder).compose(question, chunks(), 120)
    model = FakeListChatModel(responses=["It costs £52 a year."])
    answer = composer(model, embedder=embedder).compose(question, chunks(), 120)
    assert answer.text == "It costs £52 a year."
    assert answer.best is not None and answer.best.key == extractive.best.key
    assert [c.key for c in answer.quoted] == [c.key for c in extractive.quoted]
    broken = composer(_Broken(responses=["never"])).compose(question, chunks(), 120)
    assert broken.best is not None and broken.quoted


def test_a_model_answer_without_the_lead_sentences_figure_is_not_used(embedder) -> None:  # type: ignore[no-untyped-def]
    # Every sentence is on the page, but the answer to "how much" (£52) is gone: the answer
    # confidence scores the extractive lead sentence, so this answer has not earned it.
    question = "how much is garden waste"
    extractive = ExtractiveComposer(embedder).compose(question, chunks(), 120)
    assert "£52" in extractive.best.text
    model = FakeListChatModel(responses=["Sign up at garden waste."])
    answer = composer(model, embedder=embedder).compose(question, chunks(), 120)
    assert answer.text == extractive.text
    assert answer.model["outcome"] == "rejected_by_guard"
    assert answer.model["left_out"] == ["£52"]
    assert any("left out “£52”" in note for note in answer.notes), answer.notes


class _Rejects(GroundingGuard):
    """A guard that lets nothing out (the extractive draft included)."""

    def check(self, answer, sections, links=None):  # type: ignore[no-untyped-def]
        return GroundingResult("", False, 0.0, [], [])


def test_the_model_is_not_asked_when_the_guard_rejects_the_extractive_draft() -> None:
    model = FakeListChatModel(responses=["It costs £52 a year."])
    settings = LLMSettings(provider="fake", timeout_seconds=5.0)
    llm = LLMComposer(settings, ExtractiveComposer(None), model=model, guard=_Rejects())
    answer = llm.compose("how much is garden waste", chunks(), 120)
    assert answer.model == {"outcome": "not_asked"}
    assert model.i == 0  # never called
    assert answer.grounding is None  # the pipeline's guard checks (and rejects) the draft


def test_a_model_answer_is_never_surer_than_the_extractive_draft(embedder) -> None:  # type: ignore[no-untyped-def]
    class Capped(GroundingGuard):
        def check(self, answer, sections, links=None):  # type: ignore[no-untyped-def]
            verdict = super().check(answer, sections, links)
            if "£52 a year" in answer and "Sign up" in answer:  # the extractive draft
                verdict.confidence = 0.4
            return verdict

    model = FakeListChatModel(responses=["It costs £52 a year."])
    settings = LLMSettings(provider="fake", timeout_seconds=5.0)
    llm = LLMComposer(settings, ExtractiveComposer(embedder), model=model, guard=Capped(embedder))
    answer = llm.compose("how much is garden waste", chunks(), 120)
    assert answer.text == "It costs £52 a year."
    assert answer.grounding is not None and answer.grounding.confidence == 0.4


def test_model_saying_no_answer_gives_an_empty_answer() -> None:
    answer = composer(FakeListChatModel(responses=["NO_ANSWER"])).compose("x y", chunks(), 120)
    assert answer.text == ""


class _Broken(FakeListChatModel):
    def invoke(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        raise ConnectionError("provider down")


class _Slow(FakeListChatModel):
    def invoke(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        time.sleep(1.0)
        return super().invoke(*args, **kwargs)


def test_failure_and_timeout_fall_back_to_the_extractive_answer() -> None:
    extractive = ExtractiveComposer().compose("how much is garden waste", chunks(), 120)
    broken = composer(_Broken(responses=["never"])).compose(
        "how much is garden waste", chunks(), 120
    )
    assert broken.text == extractive.text and "£52" in broken.text
    slow = composer(_Slow(responses=["late"]), timeout=0.05)
    assert slow.compose("how much is garden waste", chunks(), 120).text == extractive.text


def test_providers_are_lazy_and_say_what_to_install() -> None:
    fake = create_chat_model(LLMSettings(provider="fake"))
    assert FAKE_LABEL in fake.invoke("hello").content  # labelled as a fake
    with pytest.raises(LLMUnavailable, match="unknown"):
        create_chat_model(LLMSettings(provider="magic"))
    try:
        import langchain_openai  # noqa: F401
    except ImportError:
        with pytest.raises(LLMUnavailable, match="pip install langchain-openai"):
            create_chat_model(LLMSettings(provider="openai", model="m"))


def test_the_report_keeps_the_models_check_when_the_extractive_answer_stands_in(embedder) -> None:  # type: ignore[no-untyped-def]
    from chatbot.answering.grounding import guard_answer

    model = FakeListChatModel(responses=["It costs £5 a year."])  # £5 is not on the page
    llm = composer(model, embedder=embedder)
    draft = llm.compose("how much is garden waste", chunks(), 120)
    assert draft.model["outcome"] == "rejected_by_guard"
    guarded = guard_answer(llm.guard, draft)
    assert guarded.report["guard"]["stands"] is False  # the model's answer, as checked
    assert guarded.report["extractive_guard"]["stands"] is True  # the answer that stood in


def test_a_model_answer_must_keep_most_words_of_the_lead_sentence(embedder) -> None:  # type: ignore[no-untyped-def]
    # "It costs £52 a year." stands for "Garden waste costs £52 a year." only when the
    # question said "garden waste"; otherwise it has lost what the price is for.
    named = composer(FakeListChatModel(responses=["It costs £52 a year."]), embedder=embedder)
    assert named.compose("how much is garden waste", chunks(), 120).model["outcome"] == "used"
    vague = composer(FakeListChatModel(responses=["It costs £52 a year."]), embedder=embedder)
    answer = vague.compose("how much is it a year", chunks(), 120)
    assert answer.model["outcome"] == "rejected_by_guard", answer.model
    assert any("of the words" in note for note in answer.notes), answer.notes
