"""The tuning / held-out split: by page, stable, and visible on every case as a tag."""

from __future__ import annotations

import json
from pathlib import Path

from evals.datasets import QuestionCase, load_datasets
from evals.splits import HELDOUT, TUNE, assign_splits, only


def _case(case_id: str, *sources: str) -> QuestionCase:
    return QuestionCase(id=case_id, question="q", expect="answer", expected_sources=sources)


def test_a_pages_questions_never_sit_on_both_sides() -> None:
    cases = [_case(f"q{n}", f"page-{n % 12}.md") for n in range(120)]
    cases += [_case("shared", "page-1.md", "page-2.md")]  # joins pages 1 and 2 into one group
    sides = assign_splits(cases)
    by_page: dict[str, set[str]] = {}
    for case in cases:
        for source in case.expected_sources:
            by_page.setdefault(source, set()).add(sides[case.id])
    assert all(len(s) == 1 for s in by_page.values())
    assert by_page["page-1.md"] == by_page["page-2.md"]
    held = sum(side == HELDOUT for side in sides.values())
    assert 0.2 * len(cases) <= held <= 0.45 * len(cases)


def test_the_split_ignores_line_order_and_other_files(tmp_path: Path) -> None:
    lines = [{"id": f"c{n}", "question": f"question {n}", "expect": "escalate"} for n in range(40)]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join(json.dumps(x) for x in lines), "utf-8")
    b.write_text("\n".join(json.dumps(x) for x in reversed(lines)), "utf-8")
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "x", "question": "q", "expect": "answer"}), "utf-8")
    first = {c.id: c.tags for c in load_datasets([a]).questions}
    second = {c.id: c.tags for c in load_datasets([other, b]).questions}
    assert first == {k: v for k, v in second.items() if k != "x"}
    assert {t for tags in first.values() for t in tags} == {"split:tune", "split:heldout"}


def test_only_selects_one_side() -> None:
    cases = [_case(f"q{n}", f"p{n}.md") for n in range(20)]
    sides = assign_splits(cases)
    tagged = [
        QuestionCase(id=c.id, question="q", expect="answer", tags=(f"split:{sides[c.id]}",))
        for c in cases
    ]
    assert {c.id for c in only(tagged, TUNE)} == {k for k, v in sides.items() if v == TUNE}
