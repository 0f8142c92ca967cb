"""The extractive composer (the answering steps run on their own): only retrieved text, the
most relevant units, lead-ins kept, whole sentences."""

from __future__ import annotations

import re

from chatbot.composer import ExtractiveComposer, sources_of
from knowledge.types import Chunk, RetrievedChunk
from knowledge.units import split_units

PERMITS = """You can buy a resident parking permit if you live in a resident parking zone.
Permits last 12 months. The charge depends on how many permits your home has:
- first permit: £60 a year
- second permit: £95 a year
- third permit: £150 a year
Electric cars get a 50% discount on the first permit. We post the permit within 5 working days."""

BANDS = """The yearly charges for 2026 to 2027 are:

| Band | Property value | Yearly charge |
|---|---|---|
| A | up to £40,000 | £1,456.37 |
| C | £52,001 to £68,000 | £1,941.83 |

Parish councils add a small precept."""


def retrieved(
    text: str, *, page: str = "parking/permits.md", section: str = "Costs"
) -> RetrievedChunk:
    chunk = Chunk(
        chunk_id=f"{page}#{section}",
        page_id=page,
        title="Resident parking permits",
        heading_path=("Resident parking permits", section),
        section=section,
        anchor=None,
        url=f"https://council.example/{page.removesuffix('.md')}",
        section_url=None,
        text=text,
        service_area="parking",
        content_hash="abc",
    )
    return RetrievedChunk(
        chunk, score=0.03, bm25_score=5.0, dense_score=0.7, bm25_rank=1, dense_rank=1
    )


def test_list_items_keep_their_lead_in() -> None:
    answer = ExtractiveComposer().compose(
        "how much is a second permit", [retrieved(PERMITS)], max_words=120
    )
    assert "- second permit: £95 a year" in answer.text
    lead_in = "The charge depends on how many permits your home has:"
    assert lead_in in answer.text
    assert answer.text.index(lead_in) < answer.text.index("second permit")


def test_table_rows_keep_their_header_and_answer_from_the_row() -> None:
    answer = ExtractiveComposer().compose(
        "how much is band c council tax", [retrieved(BANDS, section="Charges")], max_words=120
    )
    assert "£1,941.83" in answer.text
    assert "Band | Property value | Yearly charge" in answer.text


def test_answers_never_hold_text_from_outside_the_sections() -> None:
    answer = ExtractiveComposer().compose(
        "Do electric cars pay less for a permit and how fast is it posted?",
        [retrieved(PERMITS)],
        max_words=120,
    )
    units = {u.text for u in split_units(PERMITS)}
    for line in answer.text.splitlines():
        for piece in re.split(r"(?<=[.!?:])\s+", line.removeprefix("- ")):
            assert any(piece in unit for unit in units), piece
    assert "50% discount" in answer.text


def test_a_sentence_is_quoted_whole_even_over_the_word_limit() -> None:
    long_text = "Permits " + " ".join(["cost money"] * 200) + "."
    for limit in (30, 60, 120):
        answer = ExtractiveComposer().compose(
            "permit cost", [retrieved(long_text)], max_words=limit
        )
        assert answer.text == long_text


def test_coverage_measures_question_words_found_in_the_quoted_sections() -> None:
    composer = ExtractiveComposer()
    covered = composer.compose("how much is a second permit", [retrieved(PERMITS)], 120)
    uncovered = composer.compose("allotment waiting list", [retrieved(PERMITS)], 120)
    assert covered.coverage == 1.0
    assert uncovered.coverage == 0.0


def test_sources_are_one_per_section_with_the_page_url() -> None:
    a, b = retrieved(PERMITS), retrieved(PERMITS)
    c = retrieved(BANDS, page="council-tax/bands.md", section="Charges")
    assert sources_of([a, b, c]) == [
        {
            "title": "Resident parking permits",
            "url": "https://council.example/parking/permits",
            "section": "Costs",
            "page": "parking/permits.md",
        },
        {
            "title": "Resident parking permits",
            "url": "https://council.example/council-tax/bands",
            "section": "Charges",
            "page": "council-tax/bands.md",
        },
    ]


def test_markdown_links_are_shown_readably() -> None:
    text = "See [single person discount](https://council.example/spd) for details."
    answer = ExtractiveComposer().compose("single person discount", [retrieved(text)], 120)
    assert answer.text == "See single person discount (https://council.example/spd) for details."
