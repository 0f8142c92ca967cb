"""Malicious page content: a `javascript:` (or any non-http) `source_url` never becomes a link,
neither when the page is ingested nor when a source is shown (the probe found one reaching the
resident pages as a link; only the CSP stopped it)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from chatbot.resident_view import turns_from
from chatbot.store import public_sources
from knowledge.links import safe_link
from knowledge.loader import PageSource, load_page
from knowledge.types import Page

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "//evil.example/bins",
    "/bins/garden-waste",
    "https://",
    "https:///no-host",
    "http://[not-an-ip/",
    "https://council.example/" + "a" * 3000,
]


@pytest.mark.parametrize("url", HOSTILE)
def test_only_absolute_http_addresses_are_links(url: str) -> None:
    assert safe_link(url) is None


def test_real_addresses_stay() -> None:
    for url in ("https://www.brackenvale.example/bins", "http://council.example/a?b=1#c"):
        assert safe_link(url) == url
    assert safe_link(None) is None and safe_link(42) is None


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html,x"])
def test_ingestion_drops_a_hostile_source_url(tmp_path: Path, url: str) -> None:
    path = tmp_path / "bins.md"
    path.write_text(f'---\ntitle: Bins\nsource_url: "{url}"\n---\n# Bins\n\nMonday.\n')
    page = load_page(PageSource(tmp_path, path))
    assert isinstance(page, Page) and page.url is None


def test_html_canonical_link_must_be_http(tmp_path: Path) -> None:
    path = tmp_path / "bins.html"
    path.write_text(
        '<html><head><link rel="canonical" href="javascript:alert(1)"></head>'
        "<body><main><h1>Bins</h1><p>Monday.</p></main></body></html>"
    )
    page = load_page(PageSource(tmp_path, path))
    assert isinstance(page, Page) and page.url is None


def test_sources_shown_to_residents_are_checked_again() -> None:
    """An index built before the check, or a stored transcript, still never yields a link."""
    stored = [
        {"title": "Bins", "url": "javascript:alert(1)", "section": "Days", "page": "bins.md"},
        {"title": "Tip", "url": "https://council.example/tip", "section": None, "page": "tip.md"},
    ]
    assert [s["url"] for s in public_sources(stored)] == [None, "https://council.example/tip"]

    def message(**fields: object) -> SimpleNamespace:
        empty = {"status": None, "sources": None, "reference": None, "route": None}
        return SimpleNamespace(**{**empty, "id": 1, "approved_answer_id": None, **fields})

    store = SimpleNamespace(
        open_conversation=lambda token, ttl: "abc",
        transcript=lambda _id: [
            message(role="resident", text="bins?"),
            message(role="assistant", text="Monday.", status="answered", sources=stored),
        ],
    )
    turns = turns_from(store, "abc")  # type: ignore[arg-type]
    assert [s["url"] for s in turns[0].sources] == [None, "https://council.example/tip"]
