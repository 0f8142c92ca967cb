"""Embedding throughput: passages/s (~100-token passages, batch 32) and ms per short query, for
the onnxruntime backend against the numpy backend measured in the same run.

Passages are ~75-word windows of the demo council's pages (about 100 tokens each). Target from
DEPENDENCIES.md: about 45 passages/s with onnxruntime on 2 threads (numpy about 16).
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "council-site"
PASSAGE_WORDS = 75
PASSAGE_COUNT = 128
TARGET_PASSAGES_PER_S = 45.0
QUERIES = [
    "how do i pay my council tax",
    "my bin wasnt emptied",
    "can I get a blue badge for my dad",
    "when is the tip open",
    "do I need planning permission for a fence",
    "report noise from next door",
    "apply for a school place",
    "where do I register a birth",
]


def demo_passages(count: int = PASSAGE_COUNT) -> list[str]:
    words: list[str] = []
    for page in sorted(DEMO.rglob("*.md")):
        words.extend(re.sub(r"[#*>|\-]+", " ", page.read_text(encoding="utf-8")).split())
    if len(words) < PASSAGE_WORDS:
        words = ("Bins are collected every other week from the kerb. " * 20).split()
    passages = []
    start = 0
    while len(passages) < count:
        window = words[start : start + PASSAGE_WORDS]
        if len(window) < PASSAGE_WORDS:
            start = 0
            continue
        passages.append(" ".join(window))
        start += PASSAGE_WORDS
    return passages


def _measure(embedder, passages: list[str]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    embedder.embed(passages[:32])  # warm up
    started = time.perf_counter()
    embedder.embed(passages)
    passages_per_s = len(passages) / (time.perf_counter() - started)
    for query in QUERIES[:2]:
        embedder.embed_query(query)
    timings = []
    for _ in range(5):
        for query in QUERIES:
            started = time.perf_counter()
            embedder.embed_query(query)
            timings.append((time.perf_counter() - started) * 1000)
    return passages_per_s, statistics.median(timings)


def main() -> None:
    from knowledge.embeddings import MiniLMEmbedder

    passages = demo_passages()
    with tempfile.TemporaryDirectory(prefix="townhall-bench-embed-") as tmp:
        started = time.perf_counter()
        onnx = MiniLMEmbedder(cache_dir=Path(tmp), backend="onnx")
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        MiniLMEmbedder(cache_dir=Path(tmp), backend="onnx")
        reload_s = time.perf_counter() - started
        tokens = statistics.mean(onnx.token_count(p) for p in passages)
        print(
            f"embeddings benchmark: {len(passages)} passages of ~{tokens:.0f} tokens, batch "
            f"{onnx.batch_size}, {onnx.threads} onnxruntime threads; ONNX graph built in "
            f"{build_s:.1f}s, cached start-up {reload_s:.1f}s"
        )
        onnx_rate, onnx_query_ms = _measure(onnx, passages)
    numpy_rate, numpy_query_ms = _measure(MiniLMEmbedder(backend="numpy"), passages)
    print(f"  onnx : {onnx_rate:6.1f} passages/s, {onnx_query_ms:5.1f} ms per short query")
    print(f"  numpy: {numpy_rate:6.1f} passages/s, {numpy_query_ms:5.1f} ms per short query")
    print(
        f"  onnx vs numpy: {onnx_rate / numpy_rate:.2f}x passages/s, "
        f"{numpy_query_ms / onnx_query_ms:.2f}x query speed; target {TARGET_PASSAGES_PER_S:.0f} "
        f"passages/s: {'met' if onnx_rate >= TARGET_PASSAGES_PER_S else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
