"""Load test: 10,000 chat requests from 50 concurrent clients against `townhall serve
--workers N` on loopback, on SQLite + embedded Chroma or on PostgreSQL + a Chroma server +
Redis. An asyncio httpx client; a realistic mix of messages; rate limits set high for the run
(`TOWNHALL_*_RATE_PER_MINUTE=1000000`) so they do not distort it.

Reports throughput, latency p50/p95/p99, errors by kind (goal: zero 5xx), and the peak memory
(VmHWM) of every worker; afterwards checks that every escalated or urgent reply's reference is
in the review queue exactly once, that the queue holds nothing else, and that every reference
resolves at `GET /api/answers/{reference}`. The baseline in the same run is `GET /healthz` under
the same concurrency (the server's bare cost per request).

    nice -n 10 python -m benchmarks.load [--requests 10000] [--concurrency 50]
        [--workers 1,2,4] [--backend sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.stack import ROOT, ChromaServer, link_caches, townhall_server

DEMO = ROOT / "demo" / "council-site"
CACHE = Path(os.environ.get("TOWNHALL_TEST_CACHE", ROOT / ".test-cache"))
PG_ADMIN = os.environ.get(
    "TOWNHALL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = "redis://127.0.0.1:6379/13"

# Our own resident-style messages (not from any evaluation set), by the kind of reply wanted.
MIX: dict[str, tuple[float, list[str]]] = {
    "council question": (
        0.45,
        [
            "how much is the garden waste bin",
            "when is my bin collected",
            "how do i report a pothole",
            "what time does the library shut on saturday",
            "how do I pay my council tax",
            "can i get a blue badge",
            "how much is a parking permit",
            "how do i book a bulky waste collection",
            "where is the tip",
            "how do i challenge a parking fine",
            "what can go in the recycling bin",
            "how do i report fly tipping",
        ],
    ),
    "own case": (
        0.15,
        [
            "why has my council tax gone up this year on my account",
            "i applied for housing benefit 6 weeks ago and heard nothing, what is happening",
            "my blue badge application was refused, why",
            "where is my refund for the parking fine",
        ],
    ),
    "urgent": (
        0.05,
        [
            "i have nowhere to sleep tonight",
            "i can smell gas in my flat",
            "my partner hit me and i am scared to go home",
        ],
    ),
    "greeting": (0.15, ["hello", "thanks", "hi there", "thank you, bye"]),
    "bad input": (0.20, ["", "   ", "x" * 1200, None]),  # None: a body that is not JSON
}


def plan(n: int, seed: int = 12) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    kinds = list(MIX)
    weights = [MIX[k][0] for k in kinds]
    return [(kind, rng.choice(MIX[kind][1])) for kind in rng.choices(kinds, weights=weights, k=n)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def fire(base: str, jobs: list[tuple[str, str | None]], concurrency: int) -> dict[str, Any]:
    import httpx

    results: list[dict[str, Any]] = []
    queue: asyncio.Queue[tuple[str, str | None]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            kind, message = queue.get_nowait()
            started = time.perf_counter()
            try:
                if message is None:
                    r = await client.post("/api/chat", content=b"{not json",
                                          headers={"Content-Type": "application/json"})  # fmt: skip
                else:
                    r = await client.post("/api/chat", json={"message": message})
                code = r.status_code
                body = r.json() if code == 200 else {}
            except httpx.HTTPError as exc:
                code, body = 0, {"error": type(exc).__name__}
            results.append({
                "kind": kind, "code": code, "ms": (time.perf_counter() - started) * 1000,
                "status": body.get("status"), "reference": body.get("reference"),
                "error": body.get("error"),
            })  # fmt: skip

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
    return {"results": results, "seconds": time.perf_counter() - started}


async def baseline(base: str, n: int, concurrency: int) -> dict[str, float]:
    import httpx

    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        sem = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with sem:
                t = time.perf_counter()
                await client.get("/healthz")
                latencies.append((time.perf_counter() - t) * 1000)

        t0 = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(n)))
        seconds = time.perf_counter() - t0
    return {"rps": n / seconds, "p50_ms": percentile(latencies, 0.5),
            "p95_ms": percentile(latencies, 0.95)}  # fmt: skip


def worker_pids(parent: int) -> list[int]:
    try:
        children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    except OSError:
        return []
    pids = []
    for pid in map(int, children):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"resource_tracker" not in cmdline:  # multiprocessing's helper, not a worker
            pids.append(pid)
    return pids


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def check_queue(
    database_url: str, references: list[str], base: str, warm_up: list[str]
) -> dict[str, Any]:
    """Every escalated reference in the queue exactly once, nothing else; every one resolves."""
    import httpx
    from sqlalchemy import text

    from townhall.db import make_engine

    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT reference, count(*) FROM review_item GROUP BY reference"))
        counts = {str(ref): int(n) for ref, n in rows}
    engine.dispose()
    wanted = Counter(references)
    resolved = 0
    with httpx.Client(base_url=base, timeout=30) as client:
        for ref in wanted:
            if client.get(f"/api/answers/{ref}").status_code == 200:
                resolved += 1
    return {
        "escalated_replies": len(references),
        "distinct_references": len(wanted),
        "references_given_twice": sum(1 for n in wanted.values() if n > 1),
        "queue_items": sum(counts.values()) - len(warm_up),
        "missing_from_queue": sum(1 for ref in wanted if ref not in counts),
        "duplicated_in_queue": sum(1 for n in counts.values() if n > 1),
        "queue_items_not_given_to_a_resident": sum(
            1 for ref in counts if ref not in wanted and ref not in warm_up
        ),
        "references_resolving": resolved,
    }


def run_one(backend: str, workers: int, requests: int, concurrency: int, embedder: Any) -> dict:
    from sqlalchemy import create_engine, text

    from knowledge.base import KnowledgeBase

    tmp = Path(tempfile.mkdtemp(prefix="townhall-load-"))
    data_dir = tmp / "var"
    link_caches(data_dir, CACHE)
    env = {
        "TOWNHALL_DATA_DIR": str(data_dir),
        "TOWNHALL_CHAT_RATE_PER_MINUTE": "1000000",
        "TOWNHALL_REFERENCE_RATE_PER_MINUTE": "1000000",
    }
    chroma = admin = None
    db_name = ""
    database_url = f"sqlite:///{(data_dir / 'townhall.db').resolve()}"
    try:
        if backend == "postgres":
            db_name = f"townhall_load_{uuid.uuid4().hex[:10]}"
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{db_name}"'))
            database_url = PG_ADMIN.rsplit("/", 1)[0] + f"/{db_name}"
            chroma = ChromaServer(tmp / "chroma")
            chroma.start()
            env |= {"TOWNHALL_DATABASE_URL": database_url, "TOWNHALL_CHROMA_URL": chroma.url,
                    "TOWNHALL_REDIS_URL": REDIS_URL}  # fmt: skip
        kb = KnowledgeBase(data_dir / "knowledge", embedder,
                           chroma_url=chroma.url if chroma else None,
                           embedding_cache=data_dir / "embedding-cache")  # fmt: skip
        kb.ingest([DEMO])
        del kb
        with townhall_server(env, workers=workers, log=tmp / "serve.log") as (base, process):
            warm = asyncio.run(fire(base, plan(100, seed=1), concurrency))  # every worker
            base_line = asyncio.run(baseline(base, 2000, concurrency))
            load_avg = os.getloadavg()
            run = asyncio.run(fire(base, plan(requests), concurrency))
            load_after = os.getloadavg()
            pids = worker_pids(process.pid) if workers > 1 else [process.pid]
            memory = [round(peak_mb(p)) for p in pids]
            results = run["results"]
            references = [r["reference"] for r in results if r["reference"]]
            warm_refs = [r["reference"] for r in warm["results"] if r["reference"]]
            queue = check_queue(database_url, references, base, warm_refs)
        ms = [r["ms"] for r in results]
        codes = Counter(r["code"] for r in results)
        return {
            "backend": backend, "workers": workers, "requests": len(results),
            "concurrency": concurrency, "seconds": round(run["seconds"], 1),
            "throughput_rps": round(len(results) / run["seconds"], 1),
            "p50_ms": round(percentile(ms, 0.5), 1), "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "codes": {str(k): v for k, v in sorted(codes.items())},
            "server_errors_5xx": sum(v for k, v in codes.items() if k >= 500),
            "connection_errors": codes.get(0, 0),
            "connection_error_kinds": dict(Counter(r["error"] for r in results if r["error"])),
            "statuses": dict(Counter(r["status"] for r in results if r["status"])),
            "peak_memory_mb_per_worker": memory, "queue": queue,
            "baseline_healthz": {k: round(v, 1) for k, v in base_line.items()},
            "load_average_before": [round(x, 2) for x in load_avg],
            "load_average_after": [round(x, 2) for x in load_after],
        }  # fmt: skip
    finally:
        if chroma:
            chroma.stop()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
            admin.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--backend", default="sqlite,postgres")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args(argv)
    from knowledge.embeddings import MiniLMEmbedder

    embedder = MiniLMEmbedder(cache_dir=CACHE / "models")
    args.out.mkdir(parents=True, exist_ok=True)
    for backend in args.backend.split(","):
        for workers in map(int, args.workers.split(",")):
            print(f"== {backend}, {workers} worker(s), {args.requests} requests", flush=True)
            result = run_one(backend, workers, args.requests, args.concurrency, embedder)
            print(json.dumps(result), flush=True)
            name = f"load-{backend}-{workers}w-{args.requests}.json"
            (args.out / name).write_text(json.dumps(result, indent=2), encoding="utf-8")
            print(
                f"   {result['throughput_rps']} req/s, p50 {result['p50_ms']} ms, "
                f"p95 {result['p95_ms']} ms, 5xx {result['server_errors_5xx']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
