"""The demo council's site ingests completely and answers the obvious questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase

DEMO = Path(__file__).resolve().parents[2] / "demo" / "council-site"


def test_demo_site_ingests_every_page(demo_kb: KnowledgeBase) -> None:
    files = [p for p in DEMO.rglob("*") if p.suffix in (".md", ".html")]
    summary = demo_kb.last_summary
    assert summary is not None and summary.failed == []
    assert summary.added == len(files) == len(demo_kb.pages())
    assert summary.chunks == demo_kb.chunk_count() > len(files)
    urls = {p.page_id: p.url for p in demo_kb.pages()}
    for path in files:  # a URL only where the page states one (front-matter or canonical link)
        text = path.read_text(encoding="utf-8")
        stated = "source_url:" in text or 'rel="canonical"' in text
        assert (urls[path.relative_to(DEMO).as_posix()] is not None) == stated, path


@pytest.mark.parametrize(
    ("question", "page"),
    [
        ("how much is a parking fine", "parking/parking-fines.html"),
        ("can I get a blue badge", "parking/blue-badge.md"),
        ("what time does the library open", "libraries/library-opening-hours.html"),
    ],
)
def test_demo_questions_find_their_page(demo_kb: KnowledgeBase, question: str, page: str) -> None:
    hits = demo_kb.retrieve(question, k=5)
    assert page in [h.chunk.page_id for h in hits[:3]]
    sections = [(h.chunk.page_id, h.chunk.heading_path) for h in hits]
    assert len(sections) == len(set(sections))  # one chunk per section


def test_demo_html_pages_have_no_site_chrome(demo_kb: KnowledgeBase) -> None:
    hits = demo_kb.retrieve("cookies accept analytics skip to main content", k=10, mode="bm25")
    assert not any("analytics cookies" in h.chunk.text for h in hits)


def test_reopened_knowledge_base_ranks_exactly_as_after_ingest(
    demo_kb: KnowledgeBase, embedder
) -> None:  # type: ignore[no-untyped-def]
    """`townhall serve` reopens what `townhall ingest` wrote: BM25 rows must map to the same
    chunks after a reload (they once came back shuffled, scores on the wrong sections)."""
    reopened = KnowledgeBase(demo_kb.directory, embedder)
    for question in ["when is my bin collected", "how do I pay council tax", "noisy neighbours"]:
        for mode in ("bm25", "dense", "hybrid"):
            fresh = [
                (r.chunk.chunk_id, round(r.score, 4)) for r in demo_kb.retrieve(question, mode=mode)
            ]
            again = [
                (r.chunk.chunk_id, round(r.score, 4))
                for r in reopened.retrieve(question, mode=mode)
            ]
            assert fresh == again, (question, mode)
