"""Heading ids made the way GOV.UK and LocalGov sites make them, and the page catalogue the
resident pages use to link sources to sections."""

from __future__ import annotations

from dataclasses import asdict

from knowledge.catalogue import PageCatalogue
from knowledge.chunking import chunk_page, slugify, split_sections
from knowledge.types import Page


def test_heading_ids_follow_the_govuk_kramdown_rules() -> None:
    assert slugify("Who can apply?") == "who-can-apply"
    assert slugify("2. What it costs (2026 to 2027)") == "what-it-costs-2026-to-2027"
    assert slugify("Café opening hours") == "cafe-opening-hours"
    assert slugify("Pay by [phone](tel:0163)") == "pay-by-phone"
    assert slugify("What's a **PCN**") == "whats-a-pcn"


def test_an_id_written_on_the_page_wins() -> None:
    sections = split_sections("# Title\n\n## How to pay {#pay-now}\n\ntext\n\n## How to pay\n\nx")
    assert [s.anchor for s in sections] == ["pay-now", "how-to-pay"]


def test_catalogue_has_each_page_with_dates_anchors_and_link_words() -> None:
    page = Page(
        page_id="parking/permits.md",
        root="/r",
        title="Permits",
        url="https://council.example/permits",
        site_path=None,
        service_area="parking",
        updated="2026-02-16",
        body="# Permits\n\nIntro.\n\n## What it costs\n\n£65. [Buy one](https://council.example/buy).",
        content_hash="h",
    )
    record = {**asdict(page), "chunks": [asdict(c) for c in chunk_page(page)]}
    catalogue = PageCatalogue.from_records({("/r", page.page_id): record})
    entry = catalogue.get("parking/permits.md")
    assert entry is not None and entry.updated == "2026-02-16"
    assert entry.anchors["What it costs"] == "what-it-costs"
    assert "£65" in entry.sections["What it costs"]
    assert catalogue.urls() == {"https://council.example/permits"}
    assert catalogue.link_labels["https://council.example/buy"] == frozenset({"Buy one"})
    assert catalogue.get(None) is None and catalogue.get("missing.md") is None
