"""The chat-model path against a SCRIPTED FAKE OpenAI-compatible server (tests/llm_servers.py)
for the failures a real server cannot be made to produce on cue: slow replies, 429 and 500,
malformed JSON, and replies that invent a figure or a link. The real client (langchain-openai
over HTTP) talks to it; the grounding guard decides what a resident would read."""

from __future__ import annotations

import pytest
from llm_servers import Reply

from chatbot.answering.streaming import drafts_to
from chatbot.composer import ExtractiveComposer
from chatbot.llm_composer import LLMComposer, LLMSettings, ModelComposition, tokenise_links
from knowledge.types import Chunk, RetrievedChunk

TEXT = (
    "A garden waste subscription costs £52 a year for one brown bin.\n"
    "Sign up at [garden waste](https://council.example/gw/sign-up) or call 01632 960111."
)
QUESTION = "how much is the garden waste bin a year"

pytestmark = pytest.mark.usefixtures("no_tiktoken")


def sections() -> list[RetrievedChunk]:
    chunk = Chunk(
        "g#1",
        "garden-waste.md",
        "Garden waste collection",
        ("Garden waste collection", "Cost"),
        "Cost",
        "cost",
        "https://council.example/gw",
        "https://council.example/gw#cost",
        TEXT,
        "bins",
        "h1",
    )
    return [RetrievedChunk(chunk, 0.03, 3.0, 0.8, 1, 1)]


def composer(server, embedder, timeout: float = 5.0, retries: int = 2) -> LLMComposer:  # type: ignore[no-untyped-def]
    settings = LLMSettings(
        provider="openai",
        model="scripted-fake",
        base_url=server.base_url,
        timeout_seconds=timeout,
        max_retries=retries,
    )
    return LLMComposer(settings, fallback=ExtractiveComposer(embedder))


def extractive(embedder) -> str:  # type: ignore[no-untyped-def]
    return ExtractiveComposer(embedder).compose(QUESTION, sections(), 120).text


def token_for(url: str) -> str:
    _, links = tokenise_links(sections())
    return next(t for t, u in links.items() if u == url)


def test_link_tokens_are_mapped_back_and_usage_comes_from_the_server(
    scripted_chat, embedder
) -> None:  # type: ignore[no-untyped-def]
    sign_up = token_for("https://council.example/gw/sign-up")
    scripted_chat.script(
        Reply(f"It costs £52 a year for one brown bin. Sign up at {sign_up}.", usage=(321, 17))
    )
    answer = composer(scripted_chat, embedder).compose(QUESTION, sections(), 120)
    assert isinstance(answer, ModelComposition)
    assert answer.text == (
        "It costs £52 a year for one brown bin. Sign up at https://council.example/gw/sign-up."
    )
    assert answer.model["outcome"] == "used"
    assert (answer.model["tokens_in"], answer.model["tokens_out"]) == (321, 17)
    assert answer.grounding is not None and answer.grounding.confidence > 0.5
    sent = scripted_chat.requests[0]["messages"][0]["content"]
    assert "https://" not in sent and sign_up in sent  # the model only ever sees tokens


def test_an_invented_figure_is_dropped_when_the_answer_stands_without_it(
    scripted_chat, embedder
) -> None:  # type: ignore[no-untyped-def]
    scripted_chat.script(
        Reply(
            "A garden waste subscription costs £52 a year for one brown bin. "
            "Sign up at [LINK-2] or call 01632 960111. Pensioners pay £35."
        )
    )
    answer = composer(scripted_chat, embedder).compose(QUESTION, sections(), 120)
    assert "£52" in answer.text and "£35" not in answer.text
    assert answer.model["outcome"] == "trimmed_by_guard"
    assert any("£35" in note for note in answer.notes)


def test_an_answer_resting_on_an_invented_figure_gives_way_to_the_extractive_one(
    scripted_chat, embedder
) -> None:  # type: ignore[no-untyped-def]
    scripted_chat.script(Reply("Garden waste costs £60 a year. Call 01632 960999 to join."))
    answer = composer(scripted_chat, embedder).compose(QUESTION, sections(), 120)
    assert answer.text == extractive(embedder)
    assert "£60" not in answer.text and "960999" not in answer.text
    assert answer.model["outcome"] == "rejected_by_guard"
    assert "rejected by the grounding check" in answer.notes[0]
    assert any("£60" in n for n in answer.notes) and any("960999" in n for n in answer.notes)


def test_an_invented_link_is_caught_and_never_shown(scripted_chat, embedder) -> None:  # type: ignore[no-untyped-def]
    scripted_chat.script(
        Reply(
            "A garden waste subscription costs £52 a year for one brown bin. "
            "Pay at https://pay.example.net/gw or [LINK-9]."
        )
    )
    answer = composer(scripted_chat, embedder).compose(QUESTION, sections(), 120)
    assert "pay.example.net" not in answer.text and "LINK" not in answer.text
    assert "£52" in answer.text
    assert any("web address" in n for n in answer.notes)
    assert any("[LINK-9]" in n for n in answer.notes)


def test_a_slow_reply_falls_back_within_the_configured_time(scripted_chat, embedder) -> None:  # type: ignore[no-untyped-def]
    scripted_chat.script(Reply("A garden waste subscription costs £52 a year.", delay=3.0))
    answer = composer(scripted_chat, embedder, timeout=0.5).compose(QUESTION, sections(), 120)
    # the wait for the model ends at the timeout, long before the 3 s reply (the margin is for
    # a loaded CI machine: what matters is that the fallback did not wait for the model)
    assert 500 <= answer.model["ms"] < 2000, answer.model
    assert answer.text == extractive(embedder)
    assert answer.model["outcome"] == "timeout" and "timed out after 0.5s" in answer.notes[0]


def test_429_and_500_are_retried_then_the_answer_is_used(scripted_chat, embedder) -> None:  # type: ignore[no-untyped-def]
    scripted_chat.script(
        Reply(status=429, headers={"Retry-After": "0.1"}),
        Reply(status=500),
        Reply("A garden waste subscription costs £52 a year for one brown bin."),
    )
    answer = composer(scripted_chat, embedder, timeout=10).compose(QUESTION, sections(), 120)
    assert len(scripted_chat.requests) == 3
    assert answer.model["outcome"] == "used" and "£52" in answer.text


def test_429_and_500_past_the_retries_fall_back(scripted_chat, embedder) -> None:  # type: ignore[no-untyped-def]
    scripted_chat.script(
        Reply(status=429, headers={"Retry-After": "0.1"}),
        Reply(status=500),
        Reply(status=500),
        Reply("never reached"),
    )
    answer = composer(scripted_chat, embedder, timeout=10).compose(QUESTION, sections(), 120)
    assert len(scripted_chat.requests) == 3  # the first try and two retries
    assert answer.text == extractive(embedder)
    assert answer.model["outcome"] == "error" and "500" in answer.notes[0]


def test_malformed_json_falls_back(scripted_chat, embedder) -> None:  # type: ignore[no-untyped-def]
    scripted_chat.script(Reply(raw=b'{"choices": [{"message": '))
    answer = composer(scripted_chat, embedder, retries=0).compose(QUESTION, sections(), 120)
    assert answer.text == extractive(embedder)
    assert answer.model["outcome"] == "error"


def test_drafts_stream_to_the_sink_and_the_final_answer_is_guarded(scripted_chat, embedder) -> None:  # type: ignore[no-untyped-def]
    scripted_chat.script(
        Reply(
            "A garden waste subscription costs £52 a year for one brown bin. "
            "A second brown bin costs £35 a year.",
            usage=(200, 22),
        )
    )
    drafts: list[str] = []
    with drafts_to(drafts.append):
        answer = composer(scripted_chat, embedder).compose(QUESTION, sections(), 120)
    assert len(drafts) > 3 and drafts[-1].endswith("£35 a year.")  # provisional, as written
    assert "£35" not in answer.text  # ... but the final answer is the guarded one
    assert (answer.model["tokens_in"], answer.model["tokens_out"]) == (200, 22)
    assert scripted_chat.requests[0]["stream"] is True
