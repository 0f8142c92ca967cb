"""The whole corpus as a website: retrieval on the synced pages matches the Markdown files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.site import FetchPolicy, sync_site
from tests.conftest import TEST_CACHE, shared_path
from tests.knowledge.site_support import council_site

pytestmark = pytest.mark.slow


def _cases() -> list[dict]:
    cases = []
    for name in ("fixmystreet-faq.dev.jsonl", "resident-questions.dev.jsonl"):
        path = shared_path("evals", name)
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if case.get("expect") == "answer" and case.get("expected_sources"):
                cases.append(case)
    return cases


def retrieval_scores(kb: KnowledgeBase, cases: list[dict], page_name) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """hit@5 and MRR over distinct pages, as `townhall eval` defines them."""
    hits, rr = 0, 0.0
    for case in cases:
        wanted = {s.rsplit(".", 1)[0] for s in case["expected_sources"]}
        pages: list[str] = []
        for r in kb.retrieve(case["question"], k=10):
            name = page_name(r.chunk.page_id)
            if name not in pages:
                pages.append(name)
        ranks = [n for n, p in enumerate(pages[:5], start=1) if p in wanted]
        hits += bool(ranks)
        rr += 1 / ranks[0] if ranks else 0.0
    return {"hit_at_5": hits / len(cases), "mrr": rr / len(cases)}


def test_synced_site_retrieves_as_well_as_the_markdown(corpus_kb, tmp_path, embedder):
    corpus = shared_path("corpus")
    cases = _cases()
    if not os.environ.get("TOWNHALL_SYNC_QUALITY_ALL"):  # set it for every case (BENCHMARKS.md)
        cases = cases[::3]  # a third keeps CI quick
    kb = KnowledgeBase(tmp_path / "kb", embedder, embedding_cache=TEST_CACHE / "embeddings")
    with council_site(corpus) as site:
        summary = sync_site(kb, site.url, policy=FetchPolicy(concurrency=8, backoff_seconds=0.05))
    assert summary.ingest.added == 224 + 4, summary.as_dict()
    stem = lambda page_id: Path(page_id).name.rsplit(".", 1)[0]  # noqa: E731
    files = retrieval_scores(corpus_kb, cases, stem)
    site_scores = retrieval_scores(kb, cases, stem)
    print(f"{len(cases)} cases; files {files}; synced site {site_scores}")
    assert abs(site_scores["hit_at_5"] - files["hit_at_5"]) <= 0.01
    assert abs(site_scores["mrr"] - files["mrr"]) <= 0.01
