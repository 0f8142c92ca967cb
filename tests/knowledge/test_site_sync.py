"""Site sync against a real local website (the corpus rendered with council-site chrome)."""

from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.site import FetchPolicy, site_root, sync_site
from knowledge.site.discover import parse_sitemap
from knowledge.site.extract import extract_page, page_id_for
from knowledge.site.fetch import _retry_after
from tests.conftest import TEST_CACHE
from tests.knowledge.council_site import EXTRA_PAGES, render
from tests.knowledge.site_support import council_site

FAST = FetchPolicy(concurrency=4, retries=3, backoff_seconds=0.05)
CORPUS_PAGES = 6
EXTRA = ["extra/changing-page", "extra/flaky-page", "extra/leaving-page", "extra/slow-page"]


@pytest.fixture(scope="module")
def site(shared_corpus: Path):  # type: ignore[no-untyped-def]
    with council_site(shared_corpus, only=CORPUS_PAGES) as running:
        yield running


def _kb(tmp_path: Path, embedder) -> KnowledgeBase:  # type: ignore[no-untyped-def]
    return KnowledgeBase(tmp_path / "kb", embedder, embedding_cache=TEST_CACHE / "embeddings")


def test_sync_reads_the_site_then_costs_one_304_per_unchanged_page(site, tmp_path, embedder):
    kb = _kb(tmp_path, embedder)
    site.phase(1)
    first = sync_site(kb, site.url, policy=FAST)
    i = first.ingest
    assert (i.added, i.changed, i.removed) == (CORPUS_PAGES + len(EXTRA), 0, 0)
    reasons = dict(first.failed)
    assert reasons[site.url + "extra/missing-page"] == "HTTP 404"
    assert reasons[site.url + "staff-only/rota"] == "disallowed by robots.txt"
    assert len(first.failed) == 2 and first.pruned and first.source == "sitemap"
    ids = {p.page_id for p in kb.pages()}
    assert set(EXTRA) <= ids  # the slow page waited for, the flaky one retried
    assert not any("staff-only" in p for p in ids)

    # The main content only, with headings, lists and tables; the chrome is gone.
    flaky = next(p for p in kb.pages() if p.page_id == "extra/flaky-page")
    assert flaky.title == "Allotment waiting list"
    assert flaky.url == site.url + "extra/flaky-page" and flaky.updated == "2025-01-06"
    texts = [r.chunk.text for r in kb.retrieve("allotment plot rent", k=5)]
    joined = "\n".join(texts)
    assert "| half plot | £45 |" in joined
    for chrome in ("Accept additional cookies", "Skip to main content", "01632 960000",
                   "Was this page useful", "Search this site"):  # fmt: skip
        assert all(chrome not in c.text for c in kb._state.chunks.values()), chrome

    # Second sync, nothing changed: every page answers 304, nothing is fetched or embedded.
    site.reset_stats()
    second = sync_site(kb, site.url, policy=FAST)
    i = second.ingest
    assert (i.added, i.changed, i.removed, i.unchanged) == (0, 0, 0, CORPUS_PAGES + len(EXTRA))
    assert second.fetched == 0 and second.not_modified == CORPUS_PAGES + len(EXTRA)
    assert i.chunks_embedded == 0
    pages_served = {p: s for p, s in site.stats().items() if not p.endswith((".xml", ".txt"))}
    pages_served.pop("/extra/missing-page")
    pages_served.pop("/_control/reset-stats")
    assert all(s == {"304": 1} for s in pages_served.values()), pages_served

    # The site changes: one page edited, one gone from the sitemap.
    hashes = kb.page_hashes()
    site.phase(2)
    third = sync_site(kb, site.url, policy=FAST)
    i = third.ingest
    assert (i.added, i.changed, i.removed) == (0, 1, 1)
    assert "extra/leaving-page" not in {p.page_id for p in kb.pages()}
    new_hashes = kb.page_hashes()
    assert new_hashes["extra/changing-page"] != hashes["extra/changing-page"]
    # what staff see: an approved answer citing the changed page is flagged stale
    from chatbot.approved import stale_sources

    cited = [{"page": pid, "content_hash": hashes[pid]} for pid in ("extra/changing-page",
             "extra/slow-page")]  # fmt: skip
    assert [s["page"] for s in stale_sources(cited, new_hashes)] == ["extra/changing-page"]
    top = kb.retrieve("christmas opening hours council offices", k=1)[0].chunk
    assert "3pm on 24 December" in top.text
    site.phase(1)


def test_the_command_prints_a_summary_and_exits_1_when_pages_failed(
    site, tmp_path, embedder, monkeypatch
):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from townhall import cli_site
    from townhall.cli import app as cli
    from townhall.services import Services
    from townhall.settings import Settings

    def services() -> Services:  # the session's embedder, not a second copy
        made = Services(Settings(data_dir=tmp_path / "var"))
        made.__dict__.update(embedder=embedder)
        return made

    monkeypatch.setattr(cli_site, "_services", services)
    site.phase(1)
    result = CliRunner().invoke(cli, ["sync-site", site.url, "--json"])
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout[result.stdout.index("{") :])
    assert summary["added"] == CORPUS_PAGES + len(EXTRA)
    assert {f["reason"] for f in summary["failed"]} == {"HTTP 404", "disallowed by robots.txt"}
    assert CliRunner().invoke(cli, ["sync-site", "ftp://nowhere"]).exit_code == 2


def test_max_pages_and_an_unreachable_site_never_remove_pages(site, tmp_path, embedder):
    kb = _kb(tmp_path, embedder)
    site.phase(1)
    sync_site(kb, site.url, policy=FAST)
    before = len(kb.pages())
    limited = sync_site(kb, site.url, policy=FAST, max_pages=3)
    assert not limited.pruned and limited.ingest.removed == 0 and len(kb.pages()) == before
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/"
    # the same pages under another root are untouched, and a dead site removes nothing
    down = sync_site(kb, dead, policy=FetchPolicy(retries=0))
    assert not down.pruned and down.failed and down.ingest.removed == 0
    assert len(kb.pages()) == before


def test_extraction_fetches_nothing(monkeypatch):
    title, body = EXTRA_PAGES["flaky-page"]
    html = render(title, body, "/extra/flaky-page", "https://c.example", [("Bins", "/bins/")])

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("extraction tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = extract_page(html, url="https://c.example/extra/flaky-page", root="https://c.example/")
    assert not isinstance(page, str)
    assert page.title == "Allotment waiting list" and page.page_id == "extra/flaky-page"
    assert page.url == "https://c.example/extra/flaky-page" and page.updated == "2025-01-06"
    assert "## Join the waiting list" in page.body and "| full plot | £80 |" in page.body
    for chrome in ("Copyright", "Cookies on", "Main menu", "Report a problem"):
        assert chrome not in page.body


def test_sitemaps_roots_and_retry_after():
    xml = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://c.example/a</loc><lastmod>2025-01-02</lastmod></url>"
        b"<url><loc>https://c.example/b</loc></url></urlset>"
    )
    pages, children = parse_sitemap(gzip.compress(xml))
    assert [(p.url, p.lastmod) for p in pages] == [
        ("https://c.example/a", "2025-01-02"),
        ("https://c.example/b", None),
    ]
    assert children == []
    with pytest.raises(ValueError, match="not a sitemap"):
        parse_sitemap(b"<html></html>")
    assert site_root("https://c.example/sitemap.xml") == "https://c.example/"
    assert site_root("c.example/services/") == "https://c.example/services/"
    with pytest.raises(ValueError):
        site_root("ftp://c.example/")
    assert page_id_for("https://c.example/services/bins?x=1", "https://c.example/services/") == (
        "bins?x=1"
    )
    assert _retry_after("3") == 3.0 and _retry_after(None) is None
