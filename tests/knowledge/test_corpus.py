"""The real shared corpus (224 pages): complete ingestion, no-op re-ingest, changed and deleted
pages, and retrieval quality on the FixMyStreet FAQ dev set (BM25 vs dense vs hybrid)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.embeddings import MiniLMEmbedder

pytestmark = pytest.mark.slow

# benchmarks/ is a folder of scripts, not an installed package: load the quality module by path.
_spec = importlib.util.spec_from_file_location(
    "retrieval_quality", Path(__file__).resolve().parents[2] / "benchmarks/retrieval_quality.py"
)
assert _spec is not None and _spec.loader is not None
quality = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(quality)


def test_corpus_ingests_completely(corpus_kb: KnowledgeBase, shared_corpus: Path) -> None:
    files = sorted(shared_corpus.rglob("*.md"))
    summary = corpus_kb.last_summary
    assert summary is not None
    for path, reason in summary.failed:
        print(f"skipped {path}: {reason}")
    assert summary.added + len(summary.failed) == len(files) == 224
    assert len(corpus_kb.pages()) == summary.added
    assert summary.chunks == corpus_kb.chunk_count() > summary.added
    # two FixMyStreet FAQ pages share a title and URL and stay two pages
    shared = [p for p in corpus_kb.pages() if p.file_name.startswith("fms-fixmystreet-com-faq")]
    assert len(shared) == 2 and len({(p.title, p.url) for p in shared}) == 1


def test_corpus_reingest_is_a_noop(corpus_kb: KnowledgeBase, shared_corpus: Path) -> None:
    fingerprint = corpus_kb.fingerprint
    summary = corpus_kb.ingest([shared_corpus], prune=True)
    assert summary.unchanged == len(corpus_kb.pages())
    assert (summary.added, summary.changed, summary.removed, summary.chunks_embedded) == (0,) * 4
    assert corpus_kb.fingerprint == fingerprint


def test_corpus_modified_and_deleted_page(
    tmp_path: Path, shared_corpus: Path, embedder: MiniLMEmbedder, embedding_cache: Path
) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(shared_corpus, copy)
    kb = KnowledgeBase(tmp_path / "kb", embedder, embedding_cache=embedding_cache)
    first = kb.ingest([copy])
    before = kb.page_hashes()
    changed = (
        copy / "govuk-examples" / sorted(p.name for p in (copy / "govuk-examples").iterdir())[0]
    )
    deleted = sorted((copy / "localgov-demo").iterdir())[0]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n\n## Zanzibar note\n\nQuokka paperwork rule.\n",
        encoding="utf-8",
    )
    deleted.unlink()
    summary = kb.ingest([copy], prune=True)
    assert (summary.changed, summary.removed, summary.added) == (1, 1, 0)
    assert summary.unchanged == first.added - 2
    changed_id = changed.relative_to(copy).as_posix()
    assert kb.page_hashes()[changed_id] != before[changed_id]
    assert deleted.relative_to(copy).as_posix() not in kb.page_hashes()
    hit = kb.retrieve("quokka paperwork rule zanzibar", k=1)[0]
    assert hit.chunk.page_id == changed_id and hit.chunk.section == "Zanzibar note"
    deleted_id = deleted.relative_to(copy).as_posix()
    for mode in ("bm25", "dense", "hybrid"):
        assert all(
            h.chunk.page_id != deleted_id for h in kb.retrieve(deleted.stem, k=10, mode=mode)
        )


def test_retrieval_quality_hybrid_at_least_the_better_single(
    corpus_kb: KnowledgeBase, shared_dev_set: Path
) -> None:
    cases = quality.load_cases(shared_dev_set)
    results = quality.evaluate(corpus_kb, cases)
    print("\n" + quality.format_table(results, len(cases)))
    best_single = max(results["bm25"]["hit_at_5"], results["dense"]["hit_at_5"])
    assert results["hybrid"]["hit_at_5"] >= best_single
