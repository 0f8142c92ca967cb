"""Reading pages: front-matter, titles, HTML clean-up, broken files skipped with a reason."""

from __future__ import annotations

from pathlib import Path

from knowledge.loader import LoadFailure, PageSource, find_pages, load_page
from knowledge.types import Page

FRONT = """---
title: Garden waste
source_url: https://council.example/bins/garden-waste
service_area: bins
updated: 2026-01-05
publisher: Example Council
---

# Garden waste collections

We collect garden waste every other week.
"""

PLAIN = """# Council Tax bands

Your band depends on the value of your home.
"""

HTML = """<!DOCTYPE html>
<html><head><title>Pest control | Example Council</title>
<link rel="canonical" href="https://council.example/pests">
<script>var tracking = "SECRET_SCRIPT_TEXT";</script>
<style>.x { color: red }</style></head>
<body>
<div class="cookie-banner"><p>We use cookies COOKIE_TEXT</p></div>
<header><a href="/">Example Council HEADER_TEXT</a></header>
<nav><ul><li><a href="/bins">NAV_TEXT bins</a></li></ul></nav>
<main>
<h1>Pest control</h1>
<p>We treat rats and mice. See <a href="/pests/prices">our prices</a>.</p>
<h2 id="wasps">Wasps</h2>
<p>We treat wasp nests:</p>
<ul><li>from April to October</li><li>for a fee of &pound;60</li></ul>
</main>
<aside>ASIDE_TEXT</aside>
<footer>FOOTER_TEXT</footer>
<script>console.log("MORE_SCRIPT")</script>
</body></html>
"""


def _load(tmp_path: Path, name: str, content: bytes | str) -> Page | LoadFailure:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return load_page(PageSource(tmp_path, path))


def test_front_matter_fields_and_other_keys_kept(tmp_path: Path) -> None:
    page = _load(tmp_path, "bins/garden.md", FRONT)
    assert isinstance(page, Page)
    assert page.page_id == "bins/garden.md"
    assert page.title == "Garden waste"
    assert page.url == "https://council.example/bins/garden-waste"
    assert page.service_area == "bins"
    assert page.updated == "2026-01-05"
    assert page.metadata == {"publisher": "Example Council"}
    assert page.body.startswith("# Garden waste collections")
    assert len(page.content_hash) == 64


def test_no_front_matter_title_from_first_heading_and_no_url(tmp_path: Path) -> None:
    page = _load(tmp_path, "tax.md", PLAIN)
    assert isinstance(page, Page)
    assert page.title == "Council Tax bands"
    assert page.url is None and page.service_area is None


def test_url_key_and_public_updated_at_are_accepted(tmp_path: Path) -> None:
    text = "---\nurl: https://x.example/a\npublic_updated_at: 2025-01-02T10:00:00Z\n---\nHello\n"
    page = _load(tmp_path, "a.md", text)
    assert isinstance(page, Page)
    assert page.url == "https://x.example/a"
    assert page.updated is not None and page.updated.startswith("2025-01-02")
    assert page.title == "a"  # nothing better: the file name


def test_html_keeps_content_drops_chrome(tmp_path: Path) -> None:
    page = _load(tmp_path, "pests.html", HTML)
    assert isinstance(page, Page)
    assert page.title == "Pest control"
    assert page.url == "https://council.example/pests"
    for noise in ("SECRET_SCRIPT", "COOKIE_TEXT", "HEADER_TEXT", "NAV_TEXT", "ASIDE_TEXT"):
        assert noise not in page.body
    assert "FOOTER_TEXT" not in page.body and "MORE_SCRIPT" not in page.body
    assert "# Pest control" in page.body
    assert "## Wasps {#wasps}" in page.body
    assert "[our prices](/pests/prices)" in page.body
    assert "We treat wasp nests:\n\n- from April to October\n- for a fee of £60" in page.body


def test_html_title_tag_used_when_no_heading(tmp_path: Path) -> None:
    html = "<html><head><title>Libraries | Council</title></head><body><p>Open daily.</p></body>"
    page = _load(tmp_path, "lib.htm", html)
    assert isinstance(page, Page) and page.title == "Libraries"


def test_broken_files_are_reported_not_raised(tmp_path: Path) -> None:
    bad_yaml = _load(tmp_path, "bad.md", "---\ntitle: [unclosed\n---\nBody\n")
    binary = _load(tmp_path, "bin.md", b"\xff\xfe\x00\x01garbage")
    empty = _load(tmp_path, "empty.html", "<html><body><nav>only nav</nav></body></html>")
    for failure in (bad_yaml, binary, empty):
        assert isinstance(failure, LoadFailure)
        assert failure.path.startswith(str(tmp_path)) and failure.reason
    assert "YAML" in bad_yaml.reason


def test_find_pages_recursive_skips_hidden_and_other_files(tmp_path: Path) -> None:
    for name in ("a.md", "sub/b.html", "sub/deep/c.markdown", ".git/d.md", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n\ny\n")
    root, sources = find_pages(tmp_path)
    assert root == tmp_path.resolve()
    assert [s.page_id for s in sources] == ["a.md", "sub/b.html", "sub/deep/c.markdown"]
    root, sources = find_pages(tmp_path / "a.md")
    assert [s.page_id for s in sources] == ["a.md"]
