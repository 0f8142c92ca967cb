"""Markdown tables for BENCHMARKS.md from the JSON that `benchmarks.load` and `benchmarks.scale`
write (`python -m benchmarks.tables [var/bench]`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def load_table(folder: Path) -> str:
    rows = [json.loads(p.read_text()) for p in sorted(folder.glob("load-*.json"))]
    rows.sort(key=lambda r: (r["backend"], r["requests"] != 10000, r["workers"]))
    out = [
        "| backend | workers | requests | req/s | p50 / p95 / p99 ms | 5xx | other codes "
        "| peak MB per worker | baseline `/healthz` req/s, p50 ms "
        "| load avg (1 min) before / after |",
        "|---|---:|---:|---:|---|---:|---|---|---|---|",
    ]
    for r in rows:
        codes = ", ".join(f"{k}: {v}" for k, v in r["codes"].items())
        base = r["baseline_healthz"]
        out.append(
            f"| {r['backend']} | {r['workers']} | {r['requests']:,} | {r['throughput_rps']} "
            f"| {r['p50_ms']:.0f} / {r['p95_ms']:.0f} / {r['p99_ms']:.0f} "
            f"| {r['server_errors_5xx']} | {codes} "
            f"| {', '.join(str(m) for m in r['peak_memory_mb_per_worker'])} "
            f"| {base['rps']}, {base['p50_ms']:.0f} "
            f"| {r['load_average_before'][0]} / {r['load_average_after'][0]} |"
        )
    out += ["", "| backend | workers | escalated or urgent replies | in the queue once | missing "
            "| duplicated | queue items nobody was given | references resolving |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for r in rows:
        q = r["queue"]
        once = q["distinct_references"] - q["missing_from_queue"] - q["duplicated_in_queue"]
        out.append(
            f"| {r['backend']} | {r['workers']} | {q['escalated_replies']:,} | {once:,} "
            f"| {q['missing_from_queue']} | {q['duplicated_in_queue']} "
            f"| {q['queue_items_not_given_to_a_resident']} | {q['references_resolving']:,} |"
        )
    return "\n".join(out)


def scale_table(folder: Path) -> str:
    rows = [json.loads(p.read_text()) for p in sorted(folder.glob("scale-*.json"))]
    rows.sort(key=lambda r: (r["size_target"], r["store"]))
    keys = [
        ("townhall_hybrid", "Townhall hybrid"),
        ("townhall_hybrid_vector_given", "hybrid, query vector given"),
        ("townhall_dense_only", "Townhall dense only"),
        ("langchain_chroma_similarity_search", "LangChain + Chroma"),
        ("bm25_only", "BM25 alone"),
    ]
    head = " | ".join(label for _, label in keys)
    out = [
        f"| chunks | store | {head} | build s | process RSS MB | Chroma server RSS MB | load avg |",
        "|---:|---|" + "---|" * len(keys) + "---:|---:|---:|---|",
    ]
    for r in rows:
        cells = " | ".join(f"{r[k]['p50_ms']} / {r[k]['p95_ms']}" for k, _ in keys)
        out.append(
            f"| {r['chunks']:,} | {r['store']} | {cells} | {r['build_seconds']} "
            f"| {r['process_rss_mb']} | {r.get('chroma_server_rss_mb', '-')} "
            f"| {r['load_average'][0]} |"
        )
    return "\n".join(out)


def main(argv: list[str]) -> None:
    folder = Path(argv[0] if argv else "var/bench")
    print(load_table(folder))
    print()
    print(scale_table(folder))


if __name__ == "__main__":
    main(sys.argv[1:])
