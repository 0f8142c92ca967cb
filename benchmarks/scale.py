"""Retrieval at 10,000 and 100,000 chunks, on the embedded Chroma store and on a Chroma server
(`chroma run`, started here by process id): latency and memory of Townhall's hybrid retrieval
beside, in the same run, a plain LangChain + Chroma similarity search (langchain-chroma over the
same collection) and BM25 alone.

The big knowledge bases repeat the corpus pages with a ward name in each copy's title
(synthesised, labelled as such). Their vectors are the cached vectors of the original chunk
texts plus small noise (`benchmarks.retrieval.NoisyCachedEmbedder`'s method): embedding
100,000 near-duplicates would take the model half an hour and the timing of interest is the
query; the indexes, the fusion and the query embedding are all real.

    nice -n 10 python -m benchmarks.scale [--sizes 10000,100000] [--stores embedded,server]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.retrieval import QUERIES
from benchmarks.stack import ChromaServer

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TOWNHALL_SHARED_DIR", ROOT.parent / "shared"))
CACHE = Path(os.environ.get("TOWNHALL_TEST_CACHE", ROOT / ".test-cache"))
WARD = re.compile(r" \(Ward \d+\)")


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class WardEmbedder:
    """Document vectors: the cached vector of the original text plus N(0, 0.01) noise."""

    def __init__(self, real: Any, cache: Any) -> None:
        self.real, self.cache = real, cache
        self.dimension = real.dimension
        self.weights_sha256 = real.weights_sha256
        self.rng = np.random.default_rng(12)
        self.misses = 0

    def name(self) -> str:
        return self.real.name()

    def _original(self, text: str) -> str:
        head, _, body = WARD.sub("", text).partition("\n")
        parts: list[str] = []
        for part in head.split(" > "):
            if not parts or parts[-1] != part:
                parts.append(part)
        return " > ".join(parts) + "\n" + body

    def embed(self, texts: list[str]) -> np.ndarray:
        base = [self._original(t) for t in texts]
        found = self.cache.get_many(base)
        for i in range(len(base)):
            if i not in found:
                self.misses += 1
                found[i] = self.rng.normal(0, 1, self.dimension).astype(np.float32)
        out = np.stack([found[i] for i in range(len(base))])
        out = out + self.rng.normal(0, 0.01, out.shape).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def __call__(self, input: list[str]) -> Any:
        return list(self.embed(list(input)))


def synthesise(corpus: Path, folder: Path, target: int) -> int:
    """The corpus, then copies with "(Ward N)" in the title, until about target chunks."""
    from knowledge.chunking import chunk_page
    from knowledge.loader import find_pages, load_page

    _, sources = find_pages(corpus)
    pages = [p for p in (load_page(s) for s in sources) if hasattr(p, "body")]
    sizes = {p.page_id: len(chunk_page(p)) for p in pages}
    total, ward = 0, 0
    while total < target:
        for page in pages:
            if total >= target:
                break
            raw = (corpus / page.page_id).read_text(encoding="utf-8")
            if ward:
                raw = raw.replace(f"title: {page.title}", f"title: {page.title} (Ward {ward})", 1)
            out = folder / f"ward-{ward}" / page.page_id
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(raw, encoding="utf-8")
            total += sizes[page.page_id]
        ward += 1
    return total


def timings(fn: Any, queries: list[str], rounds: int = 3) -> dict[str, float]:
    for q in queries[:3]:
        fn(q)
    ms = []
    for _ in range(rounds):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(ms[int(0.95 * len(ms))], 2)}


class LangChainEmbeddings:
    """The same MiniLM model behind LangChain's Embeddings interface."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self.embedder.embed(texts)]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self.embedder.embed([text])[0]))


def measure(size: int, store: str, embedder: Any, tmp: Path) -> dict[str, Any]:
    from langchain_chroma import Chroma

    from knowledge.base import KnowledgeBase
    from knowledge.indexes import EmbeddingCache, make_chroma_client

    site = tmp / f"site-{size}"
    if not site.exists():
        synthesise(SHARED / "corpus", site, size)
    server = None
    rss_before = rss_mb()
    try:
        if store == "server":
            server = ChromaServer(tmp / f"chroma-{size}")
            server.start()
        model_key = f"{embedder.name()}:{embedder.weights_sha256}"
        ward = WardEmbedder(embedder, EmbeddingCache(CACHE / "embeddings", model_key))
        kb = KnowledgeBase(tmp / f"kb-{size}-{store}", ward,  # type: ignore[arg-type]
                           chroma_url=server.url if server else None)  # fmt: skip
        started = time.perf_counter()
        summary = kb.ingest([site])
        build_s = time.perf_counter() - started
        queries = QUERIES * 3
        result: dict[str, Any] = {
            "size_target": size, "store": store, "chunks": summary.chunks,
            "pages": summary.added, "build_seconds": round(build_s, 1),
            "random_vectors": ward.misses,
        }  # fmt: skip
        kb.embedder = embedder  # queries are embedded by the real model
        vectors = {q: embedder.embed([q])[0] for q in queries}
        result["townhall_hybrid"] = timings(lambda q: kb.retrieve(q, k=5), queries)
        result["townhall_hybrid_vector_given"] = timings(
            lambda q: kb.retrieve(q, k=5, query_embedding=vectors[q]), queries
        )
        result["townhall_dense_only"] = timings(
            lambda q: kb.retrieve(q, k=5, mode="dense"), queries
        )
        result["bm25_only"] = timings(lambda q: kb.retrieve(q, k=5, mode="bm25"), queries)
        plain = Chroma(
            collection_name="townhall",
            client=make_chroma_client(kb.directory, server.url if server else None),
            embedding_function=LangChainEmbeddings(embedder),  # type: ignore[arg-type]
        )
        result["langchain_chroma_similarity_search"] = timings(
            lambda q: plain.similarity_search(q, k=5), queries
        )
        result["process_rss_mb"] = round(rss_mb())
        result["process_rss_growth_mb"] = round(rss_mb() - rss_before)
        if server and server.process:
            result["chroma_server_rss_mb"] = round(rss_mb(server.process.pid))
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        return result
    finally:
        if server:
            server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--stores", default="embedded,server")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args(argv)
    from knowledge.embeddings import MiniLMEmbedder

    embedder = MiniLMEmbedder(cache_dir=CACHE / "models")
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="townhall-scale-"))
    try:
        for size in map(int, args.sizes.split(",")):
            for store in args.stores.split(","):
                print(f"== {size} chunks, {store} store", flush=True)
                result = measure(size, store, embedder, tmp)
                print(json.dumps(result), flush=True)
                out = args.out / f"scale-{size}-{store}.json"
                out.write_text(json.dumps(result, indent=2), encoding="utf-8")
                shutil.rmtree(tmp / f"kb-{size}-{store}", ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
