"""Fit the content-gaps report's clustering threshold on our own labelled questions.

    .venv/bin/python scripts/fit_gap_clusters.py [--write]

Reads evals/fitting/gap-topics.jsonl (questions the team wrote in residents' words, each with
the topic a content designer would file it under, several topics close to each other: bin day,
bulky waste, garden waste, the tip...), embeds them with the real MiniLM model, clusters them
with the same agglomerative clustering `review_ui/gaps.py` uses at each cosine distance
threshold, and prints the adjusted Rand index and V-measure against the topics. With --write it
saves the best threshold to review_ui/gaps_fit.json. The dev sets in ../shared are never used.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from review_ui.gaps import FIT_FILE, cluster_questions  # noqa: E402

DATA = ROOT / "evals" / "fitting" / "gap-topics.jsonl"


def main() -> None:
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    from knowledge.embeddings import MiniLMEmbedder

    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help=f"save the best to {FIT_FILE}")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    topics = [r["topic"] for r in rows]
    embedder = MiniLMEmbedder(cache_dir=ROOT / "var" / "models")
    vectors = np.asarray(embedder.embed([r["question"] for r in rows]), dtype=np.float32)
    results = []
    for threshold in np.arange(0.30, 0.951, 0.025):
        labels = cluster_questions(vectors, float(threshold))
        ari = adjusted_rand_score(topics, labels)
        vm = v_measure_score(topics, labels)
        results.append((float(threshold), ari, vm, len(set(labels))))
        groups = len(set(labels))
        print(f"threshold {threshold:.3f}: ARI {ari:.3f}  V-measure {vm:.3f}  groups {groups}")
    best = max(results, key=lambda r: (round(r[1], 3), -r[0]))
    print(
        f"best: threshold {best[0]:.3f}, ARI {best[1]:.3f}, V-measure {best[2]:.3f}, "
        f"{best[3]} groups for {len(set(topics))} topics, {len(rows)} questions"
    )
    if args.write:
        FIT_FILE.write_text(
            json.dumps(
                {
                    "distance_threshold": round(best[0], 3),
                    "metric": "cosine",
                    "linkage": "average",
                    "fitted_on": "evals/fitting/gap-topics.jsonl",
                    "questions": len(rows),
                    "topics": len(set(topics)),
                    "adjusted_rand_index": round(best[1], 3),
                    "v_measure": round(best[2], 3),
                    "refit": "python scripts/fit_gap_clusters.py --write",
                },
                indent=2,
            )
            + "\n"
        )
        print(f"wrote {FIT_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
