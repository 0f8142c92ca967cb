"""The report (escaped, self-contained), compare (case by case) and export of approved answers."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from chatbot.records import ApprovedAnswer, utcnow
from evals.compare import compare_runs, format_comparison
from evals.datasets import load_datasets
from evals.export import approved_cases, to_jsonl
from evals.metrics import summarise
from evals.runner import RunOutput, write_outputs
from evals.scoring import QuestionOutcome, score_question

EVIL = '<script>alert("x")</script>'


def make_run(folder: Path, run_id: str, passed: dict[str, bool], hit: float) -> None:
    cases = [
        {
            "id": cid,
            "kind": "question",
            "question": f"question {cid} {EVIL}",
            "expect": "answer",
            "status": "answered" if ok else "escalated",
            "reply": f"reply {EVIL}",
            "sources": [
                {"title": EVIL, "url": "javascript:alert(1)", "section": "s", "page": "p.md"}
            ],
            "confidence": 0.5,
            "retrieved_pages": ["p.md"],
            "passed": ok,
            "reasons": [] if ok else [f"not answered {EVIL}"],
            "tags": ["bins"],
        }
        for cid, ok in passed.items()
    ]
    summary = {
        "run_id": run_id,
        "cases": len(cases),
        **summarise([], []),
        "gates": {"passed": None, "failed": [], "errors": []},
        "config": {"datasets": [EVIL]},
    }
    summary["retrieval"]["hit_at_5"] = hit
    summary["latency_ms"]["p95"] = 100.0 if hit > 0.5 else 80.0
    write_outputs(RunOutput(run_id, folder, summary, cases))


def test_report_is_self_contained_and_escaped(tmp_path: Path) -> None:
    make_run(tmp_path, "run-a", {"c1": True, "c2": False}, 0.5)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html  # only http(s) addresses become links
    assert "<link" not in html and "src=" not in html  # nothing fetched
    assert "Why it failed" in html and "c2" in html
    assert (tmp_path / "summary.json").is_file() and (tmp_path / "cases.jsonl").is_file()


def test_report_draws_tag_bars_and_risk_coverage(tmp_path: Path) -> None:
    from evals.datasets import QuestionCase

    scores = [
        score_question(
            QuestionCase(str(i), "q", "answer", expected_sources=("a.md",), tags=("bins",)),
            QuestionOutcome(
                "answered",
                "r",
                sources=[{"page": "a.md"}],
                confidence=c,
                route="answer",
                retrieved_pages=[{"page": "a.md"}],
            ),
        )
        for i, c in enumerate([0.9, 0.4])
    ]
    summary = {"run_id": "r", **summarise(scores, [])}
    summary["gates"] = {"passed": True, "failed": [], "errors": []}
    write_outputs(RunOutput("r", tmp_path, summary, []))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'aria-label="Per-tag results"' in html and "bins (2)" in html
    assert 'aria-label="Risk-coverage curve"' in html and "<polyline" in html
    assert "Every gate passed" in html


def test_compare_lists_improved_and_regressed(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    make_run(a, "run-a", {"c1": True, "c2": False, "c3": False, "gone": True}, 0.5)
    make_run(b, "run-b", {"c1": False, "c2": True, "c3": False, "new": True}, 0.75)
    result = compare_runs(a, b)
    assert [r["id"] for r in result.regressed] == ["c1"]
    assert [r["id"] for r in result.improved] == ["c2"]
    assert result.still_failing == 1 and result.still_passing == 0
    assert result.only_in_a == ["gone"] and result.only_in_b == ["new"]
    hit5 = next(m for m in result.metrics if m["key"] == "retrieval.hit_at_5")
    assert hit5["delta"] == 0.25 and hit5["verdict"] == "better"
    p95 = next(m for m in result.metrics if m["key"] == "latency_ms.p95")
    assert p95["delta"] == 20.0 and p95["verdict"] == "worse"  # lower is better
    text = format_comparison(result)
    assert "1 improved, 1 regressed" in text and "Regressed:" in text


def _approved(engine: Engine, **kw) -> None:  # type: ignore[no-untyped-def]
    fields = {
        "question": "how much is a garden waste bin",
        "answer": "It costs £52 a year.",
        "sources": [
            {
                "title": "Garden waste",
                "url": "https://example.org/garden",
                "section": "Cost",
                "page": "bins-and-recycling/garden-waste-collection.md",
                "content_hash": "h",
            },
            {
                "title": "Garden waste",
                "url": "https://example.org/garden",
                "section": "Bins",
                "page": "bins-and-recycling/garden-waste-collection.md",
                "content_hash": "h",
            },
        ],
        "service_area": "bins-and-recycling",
        "approved_by": "reviewer@example.org",
    }
    fields.update(kw)
    with Session(engine) as db:
        db.add(ApprovedAnswer(**fields))
        db.commit()


def test_export_approved_answers_as_cases(sqlite_engine: Engine, tmp_path: Path) -> None:
    _approved(sqlite_engine)
    _approved(sqlite_engine, question="retired one", retired_at=utcnow())
    _approved(sqlite_engine, question="expired one", expires_at=utcnow() - timedelta(days=1))
    _approved(sqlite_engine, question="no sources", sources=[], service_area=None)
    cases = approved_cases(sqlite_engine)
    assert [c["question"] for c in cases] == ["how much is a garden waste bin", "no sources"]
    first = cases[0]
    assert first["expect"] == "answer"
    assert first["expected_sources"] == ["garden-waste-collection.md", "https://example.org/garden"]
    assert first["reference_answer"] == "It costs £52 a year."
    assert first["tags"] == ["bins-and-recycling"]
    assert "expected_sources" not in cases[1] and cases[1]["tags"] == []
    path = tmp_path / "approved.jsonl"
    path.write_text(to_jsonl(cases), encoding="utf-8")
    data = load_datasets([path])  # what export writes, run reads
    assert len(data.questions) == 2
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["id"].startswith(
        "approved-"
    )


def test_corpus_hash_follows_file_bytes_and_names(tmp_path: Path) -> None:
    from evals.kb_cache import corpus_hash

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "page.md").write_text("# Bins\n", encoding="utf-8")
    first = corpus_hash([tmp_path / "a"])
    (tmp_path / "a" / ".hidden").write_text("editor state", encoding="utf-8")
    assert corpus_hash([tmp_path / "a"]) == first  # hidden files are not content
    (tmp_path / "a" / "page.md").write_text("# Bins!\n", encoding="utf-8")
    changed = corpus_hash([tmp_path / "a"])
    assert changed != first
    (tmp_path / "a" / "page.md").rename(tmp_path / "a" / "other.md")
    assert corpus_hash([tmp_path / "a"]) != changed  # a renamed page is a different page id
