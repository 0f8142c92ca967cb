"""The grounding guard on its own: figures verbatim, links only as given tokens, citations only
to retrieved sections, paraphrases measured against the best source sentence, and the rules
for when an answer still stands after its unsupported sentences are dropped."""

from __future__ import annotations

import pytest

from chatbot.answering.grounding import GroundingGuard, GroundingParams, guard_answer
from chatbot.composer import Composition, ExtractiveComposer
from knowledge.types import Chunk, RetrievedChunk

BULKY = (
    "We collect up to 3 bulky items for £30. Each extra item costs £8, up to 6 items.\n"
    "Book online at [bulky waste](https://council.example/bulky/book) or call 01632 960222.\n"
    "You can pay by:\n- debit card\n- credit card"
)


def section(text: str = BULKY, n: int = 1) -> RetrievedChunk:
    chunk = Chunk(
        f"b#{n}",
        "bulky-waste.md",
        "Bulky waste collection",
        ("Bulky waste collection",),
        "Prices",
        "prices",
        "https://council.example/bulky",
        None,
        text,
        "bins",
        "h",
    )
    return RetrievedChunk(chunk, 0.03, 3.0, 0.8, 1, 1)


@pytest.fixture(scope="module")
def guard(embedder) -> GroundingGuard:  # type: ignore[no-untyped-def]
    return GroundingGuard(embedder)


def test_the_shipped_parameters_are_fitted_and_readable() -> None:
    params = GroundingParams.load()
    assert params.recall > 0 and params.cosine > 0 and 0 < params.keep_at_least < 1
    assert params.support(1.0, 1.0) > params.keep_at_least > params.support(0.0, 0.1)


def test_a_faithful_paraphrase_is_kept(guard) -> None:  # type: ignore[no-untyped-def]
    result = guard.check("Up to 3 bulky items are collected for £30.", [section()])
    assert result.stands and not result.dropped
    assert result.confidence >= guard.params.keep_at_least and result.sections_used == [0]


def test_figures_must_appear_verbatim(guard) -> None:  # type: ignore[no-untyped-def]
    result = guard.check("We collect up to 3 bulky items for £3.", [section()])
    assert not result.stands and "“£3” is not in the cited sections" in result.reasons()[0]
    wrong_phone = guard.check("Call 01632 960223 to book.", [section()])
    assert not wrong_phone.stands
    spaced = guard.check("Call 01632960222 to book a bulky waste collection.", [section()])
    assert spaced.stands  # the same number, written without its space


def test_links_only_as_tokens_that_were_given(guard) -> None:  # type: ignore[no-untyped-def]
    links = {"[LINK-1]": "https://council.example/bulky"}
    ok = guard.check("Book a bulky waste collection online [LINK-1].", [section()], links)
    assert ok.stands
    invented = guard.check("Book online at [LINK-7].", [section()], links)
    assert not invented.stands and "[LINK-7] was not given" in invented.reasons()[0]
    address = guard.check("Book at https://bulky.example.org/now.", [section()], links)
    assert not address.stands and "web address" in address.reasons()[0]


def test_citations_only_to_sections_that_were_retrieved(guard) -> None:  # type: ignore[no-untyped-def]
    result = guard.check("Each extra item costs £8 [3].", [section()])
    assert not result.stands and "[3], which was not retrieved" in result.reasons()[0]
    cited = guard.check("Each extra item costs £8 [1].", [section()])
    assert cited.stands


def test_an_unsupported_sentence_is_dropped_when_the_answer_stands(guard) -> None:  # type: ignore[no-untyped-def]
    answer = (
        "We collect up to 3 bulky items for £30. Each extra item costs £8, up to 6 items. "
        "Mattresses are recycled."
    )
    result = guard.check(answer, [section()])
    assert result.stands and [s.text for s in result.dropped] == ["Mattresses are recycled."]
    assert result.text == (
        "We collect up to 3 bulky items for £30. Each extra item costs £8, up to 6 items."
    )


def test_an_answer_that_is_mostly_unsupported_does_not_stand(guard) -> None:  # type: ignore[no-untyped-def]
    answer = "Bulky items cost £30. The tip in Mill Lane takes sofas free of charge on Sundays."
    result = guard.check(answer, [section()])
    assert not result.stands and result.text == "" and result.confidence == 0.0


def test_a_figure_must_mean_what_the_pages_say_next_to_it(guard) -> None:  # type: ignore[no-untyped-def]
    recycling = section("You can take garden waste free of charge to a recycling centre.", 2)
    moved = guard.check("Garden waste collection is free for everyone.", [recycling])
    assert not moved.stands and "next to the same words" in moved.reasons()[0]
    kept = guard.check("Garden waste is taken free of charge at a recycling centre.", [recycling])
    assert kept.stands


def test_a_lead_in_that_lost_all_its_items_does_not_stand(guard) -> None:  # type: ignore[no-untyped-def]
    answer = "We collect up to 3 bulky items for £30. You can pay by:\n- cheque\n- cash"
    assert not guard.check(answer, [section()]).stands


def test_an_extractive_answer_passes_unchanged(guard, embedder) -> None:  # type: ignore[no-untyped-def]
    draft = ExtractiveComposer(embedder).compose("how do i pay for bulky waste", [section()], 120)
    guarded = guard_answer(guard, draft)
    assert guarded.text == draft.text and guarded.confidence == 1.0 and not guarded.notes


def test_guard_answer_empties_an_unsupported_extractive_style_draft(guard) -> None:  # type: ignore[no-untyped-def]
    draft = Composition(text="Pensioners get a home visit first.", chunks=[section()])
    guarded = guard_answer(guard, draft)
    assert guarded.text == "" and guarded.confidence == 0.0
    assert "not close enough" in guarded.notes[0]


def test_a_sentence_quoted_word_for_word_keeps_its_figures(guard) -> None:  # type: ignore[no-untyped-def]
    # figures inside words ("form SSP1") and dates in a heading the answer names its block by
    text = "Send form SSP1 to the employee within 5 days.\nPay the employee within 70 days."
    chunk = Chunk(
        "d#1", "sick.md", "Sick pay", ("Sick pay", "If the baby is due after 6 April 2024"),
        "If the baby is due after 6 April 2024", None, None, None, text, None, "h",
    )  # fmt: skip
    found = [RetrievedChunk(chunk, 0.03, 3.0, 0.8, 1, 1)]
    answer = "If the baby is due after 6 April 2024:\nSend form SSP1 to the employee within 5 days."
    result = guard.check(answer, found)
    assert result.stands and result.confidence == 1.0 and not result.dropped
    # words found inside a longer figure are still checked: "within 7" is not "within 70"
    assert "“7”" in " ".join(guard.check("Pay the employee within 7", found).reasons())


def test_ordinals_and_figures_in_headings_are_what_the_section_says(guard) -> None:  # type: ignore[no-untyped-def]
    chunk = Chunk(
        "d#1",
        "instructor.md",
        "Become an instructor",
        ("Become an instructor", "You must be 21 to qualify"),
        "You must be 21 to qualify",
        "age",
        "https://council.example/instructor",
        None,
        "You can apply 6 months before your 21st birthday.",
        None,
        "h",
    )
    found = [RetrievedChunk(chunk, 0.03, 3.0, 0.8, 1, 1)]
    assert guard.check("You can apply 6 months before your 21st birthday.", found).stands
    assert not guard.check("You must be 21 to qualify.", found).sentences[0].problems  # heading
    wrong = guard.check("You can apply 6 months before your 22nd birthday.", found)
    assert not wrong.stands and "“22nd”" in wrong.reasons()[0]


def test_a_sentence_said_again_is_dropped_unless_under_a_new_heading(guard) -> None:  # type: ignore[no-untyped-def]
    once = "We collect up to 3 bulky items for £30."
    looping = guard.check(f"{once} {once} {once}", [section()])
    assert not looping.stands  # two thirds of it repeated
    assert "repeats an earlier sentence" in looping.reasons()[0]
    two_blocks = guard.check(f"Bulky waste collection:\n{once}\nPrices:\n{once}", [section()])
    assert two_blocks.stands and not any("repeats" in r for r in two_blocks.reasons())
