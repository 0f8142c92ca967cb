"""Chunking: sections never mix, lists keep their lead-in, chunks carry where they came from."""

from __future__ import annotations

from knowledge.chunking import MAX_TOKENS, chunk_page, estimate_tokens, split_sections
from knowledge.types import Page
from knowledge.units import split_units

BODY = """# Blue Badges

A Blue Badge helps you park closer to where you need to go.

## Who can apply

You can get a badge automatically if you:

- get the higher rate of the mobility component of DLA
- are registered blind
- get War Pensioners' Mobility Supplement

## Who can apply

Second section with the same heading.

**How long does it take?**

About 12 weeks.

**Can I pay by cash?**

No.
"""


def _page(body: str, url: str | None = "https://council.example/blue-badge") -> Page:
    return Page(
        page_id="parking/blue-badge.md",
        root="/site",
        title="Blue Badge",
        url=url,
        site_path=None,
        service_area="parking",
        updated=None,
        body=body,
        content_hash="ab" * 32,
    )


def test_sections_follow_headings_and_bold_question_lines() -> None:
    sections = split_sections(BODY)
    paths = [s.heading_path for s in sections]
    assert paths == [
        ("Blue Badges",),
        ("Blue Badges", "Who can apply"),
        ("Blue Badges", "Who can apply"),
        ("Blue Badges", "Who can apply", "How long does it take?"),
        ("Blue Badges", "Who can apply", "Can I pay by cash?"),
    ]
    anchors = [s.anchor for s in sections]
    # duplicate headings get distinct anchors; bold questions link to their real heading
    assert anchors == ["blue-badges", "who-can-apply", "who-can-apply-1"] + ["who-can-apply-1"] * 2


def test_chunk_never_spans_two_sections_and_carries_metadata() -> None:
    chunks = chunk_page(_page(BODY))
    for chunk in chunks:
        assert chunk.title == "Blue Badge"
        assert chunk.section == chunk.heading_path[-1]
        assert chunk.section_url == f"https://council.example/blue-badge#{chunk.anchor}"
        assert chunk.page_id == "parking/blue-badge.md" and chunk.service_area == "parking"
    texts = [c.text for c in chunks]
    assert not any("closer" in t and "automatically" in t for t in texts)
    assert not any("12 weeks" in t and "No." in t for t in texts)
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_list_items_stay_with_their_lead_in() -> None:
    chunks = chunk_page(_page(BODY))
    listed = [c for c in chunks if "registered blind" in c.text]
    assert len(listed) == 1
    assert listed[0].text.startswith("You can get a badge automatically if you:")
    assert "War Pensioners" in listed[0].text


def test_long_list_is_split_with_the_lead_in_repeated() -> None:
    items = "\n".join(
        f"- item number {n} about a thing residents may need to know" for n in range(80)
    )
    chunks = chunk_page(_page(f"## Documents\n\nBring these documents with you:\n\n{items}\n"))
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text.startswith("Bring these documents with you:")
        assert estimate_tokens(chunk.text) <= MAX_TOKENS
    joined = "\n".join(c.text for c in chunks)
    assert all(f"item number {n} " in joined for n in range(80))


def test_long_paragraph_is_split_under_the_limit() -> None:
    sentence = "The council collects garden waste from the kerb every other week in summer. "
    chunks = chunk_page(_page("## Garden waste\n\n" + sentence * 40))
    assert len(chunks) > 1
    assert all(estimate_tokens(c.text) <= MAX_TOKENS for c in chunks)


def test_page_without_url_has_no_links() -> None:
    chunks = chunk_page(_page(BODY, url=None))
    assert all(c.url is None and c.section_url is None for c in chunks)


def test_text_before_first_heading_and_code_fences() -> None:
    body = "Intro text.\n\n```\n# not a heading\n```\n\n## Real\n\nBody.\n"
    sections = split_sections(body)
    assert [s.heading_path for s in sections] == [(), ("Real",)]
    chunks = chunk_page(_page(body))
    assert chunks[0].section == "" and chunks[0].anchor is None
    assert chunks[0].section_url == "https://council.example/blue-badge"


def test_bold_line_alone_stays_as_text_and_tables_keep_their_header() -> None:
    body = (
        "## Fees\n\n**We do not take cash.**\n\n## Prices\n\nPrices this year:\n\n"
        "| Item | Price |\n|---|---|\n" + "".join(f"| thing {n} | £{n} |\n" for n in range(60))
    )
    chunks = chunk_page(_page(body))
    assert any("We do not take cash." in c.text for c in chunks)
    priced = [c for c in chunks if c.section == "Prices"]
    assert len(priced) > 1
    assert all(c.text.startswith("Prices this year:\n| Item | Price |") for c in priced)
    assert not any("|---|" in c.text for c in chunks)


def test_table_rows_without_outer_pipes_are_rows() -> None:
    # Markdown converted from GOV.UK's HTML: only the header row has a pipe at its start
    body = (
        "## How much you can get\n\nIt depends on where you live.\n\n"
        "| 2025 to 2026 | 2026 to 2027  \n---|---|---  \n"
        "Living at home | Up to £8,400 | Up to £8,610  \n"
        "Living away, in London | Up to £13,022 | Up to £13,348  \n  \n"
        "Ask us if you are not sure.\n"
    )
    (chunk,) = [c for c in chunk_page(_page(body)) if c.section == "How much you can get"]
    units = split_units(chunk.text)
    assert [u.kind for u in units] == ["sentence", "header", "row", "row", "sentence"]
    assert units[3].text == "Living away, in London | Up to £13,022 | Up to £13,348"
    assert units[3].lead_in == units[1].order
    assert "---" not in chunk.text
