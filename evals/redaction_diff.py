"""Whether a redaction change touched any question: redact every question of the question sets
and compare with a snapshot taken before the change.

    python -m evals.redaction_diff save /tmp/before.json       # on the code before the change
    python -m evals.redaction_diff compare /tmp/before.json    # on the code after it

The question sets are the team's (`evals/datasets/*.jsonl`, question cases only) and, when
`../shared` is there, the shared dev sets. Questions are redacted with the demo council's
profile and the public terms of `demo/council-site`, the same way before and after. `compare`
prints counts only, per file and split, and the ids of changed TUNING cases (never a held-out
case, never any text). The snapshot holds redacted questions: keep it outside the repository
(it is written where you say, never under `evals/`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from evals.datasets import load_datasets

ROOT = Path(__file__).resolve().parents[1]


def question_files(shared: Path) -> list[Path]:
    team = sorted((ROOT / "evals" / "datasets").glob("*.jsonl"))
    theirs = sorted((shared / "evals").glob("*.dev.jsonl")) if (shared / "evals").is_dir() else []
    return [*team, *theirs]


def redacted_questions(shared: Path) -> dict[str, dict[str, str]]:
    """file -> case id -> "split|redacted question", for every question case."""
    from chatbot.council import load_council_profile
    from chatbot.redaction import Redactor
    from knowledge.chunking import chunk_page
    from knowledge.loader import LoadFailure, find_pages, load_page
    from knowledge.public_terms import all_public_terms

    # the knowledge base's public terms (`KnowledgeBase.public_terms`), without embedding
    _, sources = find_pages(ROOT / "demo" / "council-site")
    pages = [p for p in map(load_page, sources) if not isinstance(p, LoadFailure)]
    terms = all_public_terms(c.text for page in pages for c in chunk_page(page))
    redactor = Redactor(
        keep_terms=load_council_profile(None).public_terms, public_terms=lambda: terms
    )
    out: dict[str, dict[str, str]] = {}
    for path in question_files(shared):
        cases = load_datasets([path]).questions
        if not cases:
            continue
        out[path.name] = {
            c.id: f"{_side(c.tags)}|{redactor.redact(c.question).text}" for c in cases
        }
    return out


def _side(tags: tuple[str, ...]) -> str:
    return "heldout" if "split:heldout" in tags else "tune"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    if args.snapshot.resolve().is_relative_to(ROOT):
        parser.error("keep the snapshot outside the repository")
    now = redacted_questions(args.shared)
    if args.action == "save":
        args.snapshot.write_text(json.dumps(now), encoding="utf-8")
        print(f"saved {sum(map(len, now.values()))} redacted questions of {len(now)} files")
        return 0
    before = json.loads(args.snapshot.read_text(encoding="utf-8"))
    changed_total = 0
    for name in sorted(set(before) | set(now)):
        old, new = before.get(name, {}), now.get(name, {})
        changed: Counter[str] = Counter()
        tune_ids = []
        for case_id in sorted(set(old) | set(new)):
            if old.get(case_id) != new.get(case_id):
                side = (new.get(case_id) or old.get(case_id, "tune|")).split("|", 1)[0]
                changed[side] += 1
                if side == "tune":
                    tune_ids.append(case_id)
        changed_total += sum(changed.values())
        ids = f" (tune: {', '.join(tune_ids)})" if tune_ids else ""
        print(
            f"{name}: {len(new)} questions, redacted differently: tune {changed['tune']}, "
            f"held out {changed['heldout']}{ids}"
        )
    print(f"total redacted differently: {changed_total}")
    return 1 if changed_total else 0


if __name__ == "__main__":
    sys.exit(main())
