"""Fit the grounding guard's support measure (chatbot/answering/grounding_params.json).

    .venv/bin/python scripts/fit_grounding.py [--write]

Data: the demo council's question set (evals/datasets/demo-council.jsonl), whose reference
answers the team wrote in its own words from the pages, and its `split:tune` cases only
(evals/splits.py). For each tune case the demo knowledge base retrieves the sections a chat
model would be given (the best three); then
- **supported** rows: each sentence of the case's own reference answer, when a section of an
  expected page is among those three (a paraphrase of what the sections say);
- **unsupported** rows: each sentence of the reference answers of the three tune cases whose
  questions are nearest to this one (by embedding) but whose expected pages were NOT
  retrieved (plausible council wording the sections do not hold).
Sentences found verbatim are left out (the guard accepts those without measuring). Each row's
(recall, cosine) is measured by the guard itself (`measure_sentence`). A logistic regression
(L2, classes weighted equally) gives the weights; `keep_at_least` is the lowest support at
which at most 5% of the tune unsupported rows would be kept. The held-out cases are measured
the same way and printed, never fitted on.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chatbot.answering.grounding import (  # noqa: E402
    PARAMS_FILE,
    GroundingGuard,
    GroundingParams,
    _claim,
    _normal,
    measure_sentence,
)
from chatbot.wording import split_sentences  # noqa: E402
from evals.datasets import load_datasets  # noqa: E402
from evals.scoring import distinct_pages  # noqa: E402

DATASET = ROOT / "evals" / "datasets" / "demo-council.jsonl"
SITE = ROOT / "demo" / "council-site"
SECTIONS = 3
NEIGHBOURS = 3
FALSE_KEEP = 0.05


def _matches(page: dict, expected: tuple[str, ...]) -> bool:
    name = page["page"].rsplit("/", 1)[-1]
    return any(e == name or (page.get("url") and e == page["url"]) for e in expected)


def rows(kb, guard, embedder, cases):  # type: ignore[no-untyped-def]
    """(recall, cosine, label, case id) for the cases given (one split)."""
    vectors = np.asarray(embedder.embed([c.question for c in cases]), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    out = []
    for n, case in enumerate(cases):
        found = kb.retrieve(case.question, k=5)[:SECTIONS]
        text = _claim(" ".join(_normal(rc.chunk.text) for rc in found))
        pages = distinct_pages(
            {"page": rc.chunk.page_id, "url": rc.chunk.url, "title": rc.chunk.title} for rc in found
        )
        if any(_matches(p, case.expected_sources) for p in pages):
            for sentence in split_sentences(case.reference_answer or ""):
                if _claim(sentence) not in text:
                    out.append((*measure_sentence(guard, sentence, found), 1, case.id))
        order = np.argsort(-(vectors @ vectors[n]))
        taken = 0
        for m in order:
            other = cases[int(m)]
            if other.id == case.id or any(_matches(p, other.expected_sources) for p in pages):
                continue
            for sentence in split_sentences(other.reference_answer or ""):
                if _claim(sentence) not in text:
                    out.append((*measure_sentence(guard, sentence, found), 0, case.id))
            taken += 1
            if taken == NEIGHBOURS:
                break
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.001) -> np.ndarray:
    """Logistic regression by Newton's method, each class weighted to half the total."""
    design = np.hstack([np.ones((len(x), 1)), x])
    weight = np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum()))
    w = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ w))
        grad = design.T @ (weight * (p - y)) + l2 * np.r_[0, w[1:]]
        hess = (design * (weight * p * (1 - p))[:, None]).T @ design + l2 * np.diag([0, 1, 1])
        w -= np.linalg.solve(hess, grad)
    return w


def report(name: str, params: GroundingParams, data: list) -> dict:  # type: ignore[type-arg]
    support = np.array([params.support(r, c) for r, c, _, _ in data])
    label = np.array([row[2] for row in data])
    kept = support >= params.keep_at_least
    pos, neg = label == 1, label == 0
    result = {
        "supported_rows": int(pos.sum()),
        "unsupported_rows": int(neg.sum()),
        "supported_kept": round(float(kept[pos].mean()), 3) if pos.any() else None,
        "unsupported_kept": round(float(kept[neg].mean()), 3) if neg.any() else None,
    }
    print(f"{name:>9}: {json.dumps(result)}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write grounding_params.json")
    args = parser.parse_args()

    from knowledge.base import KnowledgeBase
    from knowledge.embeddings import MiniLMEmbedder

    cache = Path(tempfile.gettempdir()) / "townhall-fit-grounding"
    embedder = MiniLMEmbedder(
        cache_dir=Path(os.environ.get("TOWNHALL_TEST_CACHE", ROOT / ".test-cache")) / "models"
    )
    kb = KnowledgeBase(cache / "kb", embedder, embedding_cache=cache / "embeddings.sqlite3")
    kb.ingest([SITE])
    guard = GroundingGuard(embedder)
    cases = [c for c in load_datasets([DATASET]).questions if c.reference_answer]
    tune = [c for c in cases if "split:tune" in c.tags]
    heldout = [c for c in cases if "split:heldout" in c.tags]
    tune_rows, heldout_rows = rows(kb, guard, embedder, tune), rows(kb, guard, embedder, heldout)
    x = np.array([[r, c] for r, c, _, _ in tune_rows])
    y = np.array([row[2] for row in tune_rows], dtype=float)
    w = fit(x, y)
    params = GroundingParams(float(w[0]), float(w[1]), float(w[2]), 0.5)
    negatives = sorted(params.support(r, c) for r, c, label, _ in tune_rows if label == 0)
    cut = negatives[min(len(negatives) - 1, int(np.ceil((1 - FALSE_KEEP) * len(negatives))))]
    params = GroundingParams(params.intercept, params.recall, params.cosine, round(cut, 4))
    print(f"weights: intercept {w[0]:.3f}, recall {w[1]:.3f}, cosine {w[2]:.3f}; cut {cut:.4f}")
    tuned, held = report("tune", params, tune_rows), report("held-out", params, heldout_rows)
    if args.write:
        data = {
            "intercept": round(params.intercept, 4),
            "recall": round(params.recall, 4),
            "cosine": round(params.cosine, 4),
            "keep_at_least": params.keep_at_least,
            "fitted_on": "split:tune of evals/datasets/demo-council.jsonl",
            "command": ".venv/bin/python scripts/fit_grounding.py --write",
            "tune": tuned,
            "heldout": held,
        }
        PARAMS_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {PARAMS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
