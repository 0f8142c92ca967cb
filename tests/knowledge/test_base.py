"""KnowledgeBase on small folders: incremental sync, pruning, interruption, retrieval shapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from langchain_core.retrievers import BaseRetriever

from knowledge.base import KnowledgeBase
from knowledge.embeddings import MiniLMEmbedder

MakeKb = Callable[..., KnowledgeBase]

PAGES = {
    "bins/garden.md": "---\ntitle: Garden waste\nsource_url: https://c.example/garden\n"
    "service_area: bins\n---\n# Garden waste\n\n## What it costs\n\n"
    "A garden waste subscription costs 52 pounds a year.\n\n## Collection days\n\n"
    "We collect brown bins every other Tuesday.\n",
    "tax/bands.md": "---\ntitle: Council Tax bands\nservice_area: council-tax\n---\n"
    "# Council Tax bands\n\nYour band depends on what your home was worth in 1991.\n",
    "libraries/hours.html": "<html><head><title>Library opening hours</title></head><body>"
    "<nav>Menu</nav><main><h1>Library opening hours</h1><p>The central library opens at "
    "9am on weekdays and 10am on Saturdays.</p></main></body></html>",
}


def write_site(folder: Path, pages: dict[str, str] = PAGES) -> Path:
    for name, text in pages.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def new_kb(embedder: MiniLMEmbedder, embedding_cache: Path) -> MakeKb:
    """Open a knowledge base in a folder (with the shared embedding cache unless cache=False)."""

    def make(directory: Path, cache: bool = True) -> KnowledgeBase:
        return KnowledgeBase(
            directory, embedder, embedding_cache=embedding_cache if cache else None
        )

    return make


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site")


def test_ingest_counts_and_retrieve(tmp_path: Path, site: Path, new_kb: MakeKb) -> None:
    kb = new_kb(tmp_path / "kb")
    summary = kb.ingest([site])
    assert (summary.added, summary.changed, summary.removed, summary.unchanged) == (3, 0, 0, 0)
    assert summary.chunks == kb.chunk_count() == 4
    assert set(kb.page_hashes()) == set(PAGES)
    hits = kb.retrieve("how much does garden waste cost", k=3)
    assert hits[0].chunk.page_id == "bins/garden.md"
    assert hits[0].chunk.section == "What it costs"
    assert hits[0].chunk.section_url == "https://c.example/garden#what-it-costs"
    assert hits[0].bm25_rank == 1 and hits[0].dense_rank == 1
    assert hits[0].bm25_score > 0 and 0 < hits[0].dense_score <= 1
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    no_url = kb.retrieve("council tax band 1991", k=1)[0].chunk
    assert no_url.page_id == "tax/bands.md" and no_url.url is None and no_url.section_url is None
    for mode in ("bm25", "dense"):
        assert kb.retrieve("library opening hours", k=1, mode=mode)[0].chunk.page_id == (
            "libraries/hours.html"
        )
    only_bins = kb.retrieve("opening hours", k=5, service_area="bins")
    assert only_bins and all(h.chunk.service_area == "bins" for h in only_bins)


def test_reingest_is_a_noop_without_the_cache(
    tmp_path: Path, site: Path, embedder: MiniLMEmbedder, new_kb: MakeKb
) -> None:
    kb = new_kb(tmp_path / "kb", cache=False)
    kb.ingest([site])
    fingerprint = kb.fingerprint
    again = KnowledgeBase(tmp_path / "kb", embedder).ingest([site], prune=True)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 3)
    assert again.chunks_embedded == 0 and again.chunks == 4
    assert kb.fingerprint == fingerprint


def test_changed_page_replaces_its_chunks_and_prune_removes(
    tmp_path: Path, site: Path, embedder: MiniLMEmbedder, new_kb: MakeKb
) -> None:
    kb = new_kb(tmp_path / "kb")
    kb.ingest([site])
    before = kb.page_hashes()
    (site / "bins/garden.md").write_text(
        PAGES["bins/garden.md"].replace("52 pounds", "61 pounds"), encoding="utf-8"
    )
    (site / "tax/bands.md").unlink()
    summary = kb.ingest([site])  # without prune the vanished page stays
    assert (summary.changed, summary.removed, summary.unchanged) == (1, 0, 1)
    assert "tax/bands.md" in kb.page_hashes()
    assert kb.page_hashes()["bins/garden.md"] != before["bins/garden.md"]
    texts = [h.chunk.text for h in kb.retrieve("garden waste cost", k=5)]
    assert any("61 pounds" in t for t in texts) and not any("52 pounds" in t for t in texts)
    summary = kb.ingest([site], prune=True)
    assert summary.removed == 1 and "tax/bands.md" not in kb.page_hashes()
    assert kb.chunk_count() == 3
    reopened = KnowledgeBase(tmp_path / "kb", embedder)
    assert reopened.page_hashes() == kb.page_hashes()
    assert len(reopened._dense.ids()) == 3  # old vectors are gone from Chroma too


def test_prune_keeps_pages_from_other_paths(tmp_path: Path, site: Path, new_kb: MakeKb) -> None:
    other = write_site(tmp_path / "other", {"extra.md": "# Recycling\n\nGlass goes in the box.\n"})
    kb = new_kb(tmp_path / "kb")
    kb.ingest([site, other])
    summary = kb.ingest([site], prune=True)
    assert summary.removed == 0 and "extra.md" in kb.page_hashes()


def test_interrupted_ingest_leaves_previous_index_answering(
    tmp_path: Path, site: Path, embedder: MiniLMEmbedder, new_kb: MakeKb
) -> None:
    kb = new_kb(tmp_path / "kb")
    kb.ingest([site])
    fingerprint = kb.fingerprint
    (site / "bins/garden.md").write_text(
        PAGES["bins/garden.md"].replace("52 pounds", "75 pounds"), encoding="utf-8"
    )

    def crash_after_embedding(done: int, total: int, stage: str) -> None:
        if stage == "indexing":
            raise KeyboardInterrupt  # new vectors are in Chroma; manifest and BM25 not switched

    with pytest.raises(KeyboardInterrupt):
        kb.ingest([site], progress=crash_after_embedding)
    for reader in (kb, KnowledgeBase(tmp_path / "kb", embedder)):
        assert reader.fingerprint == fingerprint
        for mode in ("hybrid", "dense", "bm25"):
            hits = reader.retrieve("garden waste cost", k=5, mode=mode)
            assert any("52 pounds" in h.chunk.text for h in hits)
            assert not any("75 pounds" in h.chunk.text for h in hits)
    summary = KnowledgeBase(tmp_path / "kb", embedder).ingest([site])
    assert summary.changed == 1 and summary.chunks_embedded == 0  # vectors reused from the crash


def test_empty_kb_and_empty_query(tmp_path: Path, new_kb: MakeKb) -> None:
    kb = new_kb(tmp_path / "kb")
    assert kb.retrieve("anything") == [] and kb.chunk_count() == 0 and kb.pages() == []
    summary = kb.ingest([write_site(tmp_path / "empty", {})])
    assert summary.added == 0 and kb.retrieve("anything", mode="dense") == []


def test_broken_page_is_skipped_and_reported(tmp_path: Path, site: Path, new_kb: MakeKb) -> None:
    (site / "broken.md").write_bytes(b"---\ntitle: [oops\n---\nx\n")
    summary = new_kb(tmp_path / "kb").ingest([site])
    assert summary.added == 3
    assert [Path(p).name for p, _ in summary.failed] == ["broken.md"]


def test_pages_share_title_and_url_but_stay_two(tmp_path: Path, new_kb: MakeKb) -> None:
    front = "---\ntitle: FAQ\nsource_url: https://faq.example/\n---\n"
    folder = write_site(
        tmp_path / "faq",
        {
            "a.md": front + "# FAQ\n\nReports go to the council.\n",
            "b.md": front + "Parishes too.\n",
        },
    )
    kb = new_kb(tmp_path / "kb")
    kb.ingest([folder])
    pages = kb.pages()
    assert [p.page_id for p in pages] == ["a.md", "b.md"]
    assert {p.url for p in pages} == {"https://faq.example/"} and all(p.body == "" for p in pages)


def test_langchain_retriever_returns_documents(tmp_path: Path, site: Path, new_kb: MakeKb) -> None:
    kb = new_kb(tmp_path / "kb")
    kb.ingest([site])
    retriever = kb.retriever(k=2)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("when are brown bins collected")
    assert 0 < len(docs) <= 2
    meta = docs[0].metadata
    assert meta["page"] == "bins/garden.md" and meta["section"] == "Collection days"
    assert meta["title"] == "Garden waste" and meta["url"] == "https://c.example/garden"
    assert isinstance(meta["score"], float)


def test_refresh_sees_another_process_ingest(tmp_path: Path, site: Path, new_kb: MakeKb) -> None:
    reader = new_kb(tmp_path / "kb")
    writer = new_kb(tmp_path / "kb")
    writer.ingest([site])
    assert reader.refresh(force=True) is True
    assert reader.chunk_count() == 4
    manifest = json.loads((tmp_path / "kb" / "manifest.json").read_text())
    assert {p["page_id"] for p in manifest["pages"]} == set(PAGES)


def test_chroma_server_url_uses_http_client(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import chromadb

    from knowledge.indexes import make_chroma_client

    calls = []
    monkeypatch.setattr(chromadb, "HttpClient", lambda **kw: calls.append(kw) or "server")
    assert make_chroma_client(tmp_path, "https://chroma.internal:8443") == "server"
    assert calls[0]["host"] == "chroma.internal" and calls[0]["port"] == 8443
    assert calls[0]["ssl"] is True
    make_chroma_client(tmp_path, "chroma:8000")
    assert calls[1]["host"] == "chroma" and calls[1]["port"] == 8000 and calls[1]["ssl"] is False
    assert not (tmp_path / "chroma").exists()


def test_a_long_section_is_retrieved_whole(tmp_path: Path, new_kb: MakeKb) -> None:
    """The fact in the part of a long section that matched less well can still be quoted."""
    from knowledge.units import unit_texts

    filler = [f"- item {n}: a permitted material such as card number {n}" for n in range(36)]
    page = (
        "---\ntitle: Recycling\nsource_url: https://c.example/recycling\n---\n# Recycling\n\n"
        "## What goes in the blue bin\n\nYou can put these in the blue bin:\n\n"
        + "\n".join(filler)
        + "\n- cardboard boxes, flattened, cost nothing to collect\n\n"
        "## Contact us\n\nCall 01632 960000 about recycling.\n"
    )
    kb = new_kb(tmp_path / "kb")
    kb.ingest([write_site(tmp_path / "site", {"recycling.md": page})])
    assert kb.chunk_count() > 3  # the list fills several chunks
    hit = next(
        h for h in kb.retrieve("what goes in the blue bin", k=5) if h.chunk.section != "Contact us"
    )
    text = hit.chunk.text
    assert "You can put these in the blue bin:" in text and "item 0:" in text
    assert "cardboard boxes, flattened" in text  # the end of the list, in another chunk
    assert "+" in hit.chunk.chunk_id  # its own id: caches keyed by chunk id see the whole text
    assert hit.chunk.section_url == "https://c.example/recycling#what-goes-in-the-blue-bin"
    assert hit.unit_vectors is not None
    assert len(hit.unit_vectors) == len(unit_texts(text))
    assert "01632 960000" not in text  # the next section stays a section of its own
