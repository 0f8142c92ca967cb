"""Calibrate the answer confidence: fit its weights and print accuracy against coverage.

    .venv/bin/python scripts/calibrate_confidence.py [--fit] [--shared ../shared]

Runs the real pipeline (threshold 0, so every routed question is composed) on
- the demo council (demo/council-site) with evals/datasets/demo-council.jsonl, and
- ../shared/corpus with ../shared/evals/fixmystreet-faq.dev.jsonl plus CORPUS_GAPS below
  (questions on subjects the corpus has no page for: they must not be answered),
records each case's confidence signals and whether the answer would be right (an expected
source cited and every key fact in the reply; an `escalate` case is never right to answer),
then prints, for each threshold, the share answered and the accuracy of what is answered.
With --fit it also fits the logistic weights of chatbot/confidence.py on both sets together.
See docs/calibration.md for the numbers and the choice.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chatbot.confidence import WEIGHTS, Signals, confidence  # noqa: E402

# Written by the team: council questions ../shared/corpus has no page for (see CORPUS.md).
CORPUS_GAPS = [
    "What day is my black bin collected?",
    "when do the recycling boxes get emptied on my road",
    "Do I need planning permission to build a conservatory?",
    "how do i object to my neighbours planning application",
    "How do I appeal a parking fine I got outside the station?",
    "how much is a residents parking permit",
    "can i get a single person discount on my council tax",
    "my neighbours play loud music every night, who do i complain to",
    "how do i book a bulky waste collection for an old sofa",
    "what are the opening times of the tip",
    "how much is a garden waste bin",
    "can I get a visitor parking permit for my mum",
    "is my house in a conservation area",
    "how do i get a new wheelie bin",
    "how much council tax will i pay in band d",
]


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def right_answer(case: dict, result: object) -> bool:
    """Would answering this case with this result be right?"""
    if case["expect"] != "answer":
        return False
    expected = case.get("expected_sources") or []
    cited = [s["page"].rsplit("/", 1)[-1] for s in result.sources] + [
        s.get("url") for s in result.sources
    ]
    if expected and not any(e in cited for e in expected):
        return False
    reply = " ".join(result.reply.lower().split())
    return all(" ".join(f.lower().split()) in reply for f in case.get("key_facts") or [])


def run(name: str, roots: list[Path], cases: list[dict], services: object) -> list[dict]:
    """Every case through the pipeline; returns rows of signals and correctness."""
    from chatbot.store import ChatStore
    from knowledge.base import KnowledgeBase
    from townhall.db import make_engine, migrate
    from townhall.wiring import build_pipeline

    work = Path(tempfile.mkdtemp(prefix=f"calibrate-{name}-"))
    kb = KnowledgeBase(
        work / "kb", services.embedder, embedding_cache=ROOT / ".test-cache" / "embeddings"
    )
    kb.ingest(roots)
    engine = make_engine(f"sqlite:///{work / 'townhall.db'}")
    migrate(engine)
    pipeline = build_pipeline(services, knowledge=kb, store=ChatStore(engine))
    pipeline._threshold = 0.0  # compose everything; thresholds are applied afterwards
    rows = []
    for case in cases:
        result = pipeline.handle(case["question"])
        rows.append(
            {
                "id": case["id"],
                "expect": case["expect"],
                "route": result.route,
                "signals": result.signals,
                "right": right_answer(case, result),
            }
        )
    return rows


def table(name: str, rows: list[dict], weights: dict[str, float]) -> None:
    answer_cases = sum(r["expect"] == "answer" for r in rows)
    escalate_cases = len(rows) - answer_cases
    print(f"\n{name}: {answer_cases} answer cases, {escalate_cases} escalate cases")
    print("threshold  answered(answer cases)  accuracy(answered)  answered(escalate cases)")
    for t in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]:
        answered = [
            r for r in rows if r["signals"] and confidence(Signals(**r["signals"]), weights) >= t
        ]
        covered = sum(r["expect"] == "answer" for r in answered)
        wrongly = sum(r["expect"] != "answer" for r in answered)
        right = sum(r["right"] for r in answered)
        accuracy = right / len(answered) if answered else float("nan")
        print(
            f"  {t:4.2f}     {covered / max(answer_cases, 1):6.1%} ({covered:3d})"
            f"           {accuracy:6.1%}             {wrongly}/{escalate_cases}"
        )


def fit(rows: list[dict], l2: float = 0.1) -> dict[str, float]:
    """L2-regularised logistic regression of "right" on the signals (Newton's method)."""
    usable = [r for r in rows if r["signals"]]
    keys = ["dense", "agreement", "margin", "coverage"]
    x = np.array([[r["signals"][k] for k in keys] for r in usable], dtype=float)
    y = np.array([1.0 if r["right"] else 0.0 for r in usable])
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    penalty = l2 * np.diag([0.0] + [1.0] * len(keys))
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + penalty @ w
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + penalty
        w -= np.linalg.solve(hessian, grad)
    return {"intercept": float(w[0]), **{k: float(v) for k, v in zip(keys, w[1:], strict=True)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="fit new weights and show them too")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--rows", type=Path, help="cache of measured rows (JSON) to reuse")
    args = parser.parse_args()

    import logging

    from townhall.services import Services
    from townhall.settings import Settings

    logging.basicConfig(level=logging.WARNING)
    if args.rows and args.rows.exists():
        demo, corpus = json.loads(args.rows.read_text(encoding="utf-8"))
    else:
        services = Services(Settings(data_dir=Path(tempfile.mkdtemp(prefix="calibrate-"))))
        demo = run(
            "demo",
            [ROOT / "demo" / "council-site"],
            load_cases(ROOT / "evals" / "datasets" / "demo-council.jsonl"),
            services,
        )
        dev_cases = load_cases(args.shared / "evals" / "fixmystreet-faq.dev.jsonl")
        gaps = [
            {"id": f"gap-{n:02d}", "question": q, "expect": "escalate"}
            for n, q in enumerate(CORPUS_GAPS, 1)
        ]
        corpus = run("corpus", [args.shared / "corpus"], dev_cases + gaps, services)
        if args.rows:
            args.rows.write_text(json.dumps([demo, corpus]), encoding="utf-8")
    print("current weights:", WEIGHTS)
    table("demo council (demo-council.jsonl)", demo, WEIGHTS)
    table("shared corpus (fixmystreet dev + corpus gaps)", corpus, WEIGHTS)
    if args.fit:
        fitted = fit(demo + corpus)
        print("\nfitted weights:", {k: round(v, 2) for k, v in fitted.items()})
        table("demo council, fitted", demo, fitted)
        table("shared corpus, fitted", corpus, fitted)


if __name__ == "__main__":
    main()
