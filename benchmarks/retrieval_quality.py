"""Retrieval quality: hit@1/3/5 and MRR for BM25 only, dense only and hybrid, side by side, on
the FixMyStreet FAQ dev set over the shared corpus and on the demo set over the demo site.

Ranks are over distinct pages among `retrieve(question, k=5)` (as the eval runner counts them).
An expected source matches a page by file name or by source URL (EVAL_FORMAT.md).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TOWNHALL_SHARED_DIR", ROOT.parent / "shared"))
CACHE = Path(os.environ.get("TOWNHALL_TEST_CACHE", ROOT / ".test-cache"))
MODES = ("bm25", "dense", "hybrid")
K = 5


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The `answer` cases that name expected sources."""
    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            if case.get("expect") == "answer" and case.get("expected_sources"):
                cases.append(case)
    return cases


def _matches(expected: Iterable[str], page_id: str, url: str | None) -> bool:
    file_name = page_id.rsplit("/", 1)[-1]
    for source in expected:
        if source.startswith(("http://", "https://")):
            if url and url.rstrip("/") == source.rstrip("/"):
                return True
        elif source == file_name or source == page_id:
            return True
    return False


def page_rank(kb: Any, case: dict[str, Any], mode: str, k: int = K) -> int | None:
    """1-based rank of the first expected page among distinct retrieved pages, or None."""
    pages: list[tuple[str, str | None]] = []
    for hit in kb.retrieve(case["question"], k=k, mode=mode):
        key = (hit.chunk.page_id, hit.chunk.url)
        if key not in pages:
            pages.append(key)
    for rank, (page_id, url) in enumerate(pages, start=1):
        if _matches(case["expected_sources"], page_id, url):
            return rank
    return None


def evaluate(
    kb: Any, cases: Sequence[dict[str, Any]], modes: Sequence[str] = MODES, k: int = K
) -> dict[str, dict[str, float]]:
    """{mode: {hit_at_1, hit_at_3, hit_at_5, mrr}}."""
    results: dict[str, dict[str, float]] = {}
    for mode in modes:
        ranks = [page_rank(kb, case, mode, k) for case in cases]
        n = max(len(ranks), 1)
        results[mode] = {
            **{f"hit_at_{c}": sum(1 for r in ranks if r and r <= c) / n for c in (1, 3, 5)},
            "mrr": sum(1 / r for r in ranks if r) / n,
        }
    return results


def format_table(results: dict[str, dict[str, float]], cases: int) -> str:
    lines = [f"retrieval quality over {cases} answer cases (distinct pages in retrieve(k={K}))"]
    lines.append(f"{'mode':<8} {'hit@1':>7} {'hit@3':>7} {'hit@5':>7} {'MRR':>7}")
    for mode, m in results.items():
        lines.append(
            f"{mode:<8} {m['hit_at_1']:>7.3f} {m['hit_at_3']:>7.3f} {m['hit_at_5']:>7.3f} "
            f"{m['mrr']:>7.3f}"
        )
    return "\n".join(lines)


def main() -> None:
    from knowledge.base import KnowledgeBase
    from knowledge.embeddings import MiniLMEmbedder

    embedder = MiniLMEmbedder(cache_dir=CACHE / "models")
    runs = [
        (SHARED / "corpus", SHARED / "evals" / "fixmystreet-faq.dev.jsonl"),
        (ROOT / "demo" / "council-site", ROOT / "evals" / "datasets" / "demo-council.jsonl"),
    ]
    for content, dataset in runs:
        if not content.is_dir() or not dataset.is_file():
            print(f"retrieval quality: skipped {dataset.name} ({content} or it is absent)")
            continue
        with tempfile.TemporaryDirectory(prefix="townhall-quality-") as tmp:
            kb = KnowledgeBase(Path(tmp), embedder, embedding_cache=CACHE / "embeddings")
            started = time.perf_counter()
            summary = kb.ingest([content])
            print(
                f"{content.name}: {summary.added} pages, {summary.chunks} chunks "
                f"({summary.chunks_embedded} embedded, rest from the cache) "
                f"in {time.perf_counter() - started:.1f}s; dataset {dataset.name}"
            )
            cases = load_cases(dataset)
            print(format_table(evaluate(kb, cases), len(cases)))


if __name__ == "__main__":
    main()
