"""`townhall eval ...` through Typer's CliRunner: exit codes 0/1/2 as CONTRACTS.md says.

The fast tests refuse bad input before any model loads; the slow one runs the demo council's
dataset end to end on the real pipeline (models from the session fixtures, data dir in tmp).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from townhall.cli import app

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "council-site"
DEMO_SET = ROOT / "evals" / "datasets" / "demo-council.jsonl"
REDACTION_SET = ROOT / "evals" / "datasets" / "redaction.jsonl"
runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TOWNHALL_DATA_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["eval", *args])


def test_bad_flags_and_bad_files_exit_2(tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "q1", "question": "x", "expect": "answer"}\n{oops\n', encoding="utf-8")
    gate = tmp_path / "gate.yaml"
    gate.write_text("overall:\n  retrieval.hit_at_5: 'about 0.9'\n", encoding="utf-8")
    k, d = str(DEMO), str(DEMO_SET)
    cases = {
        "no dataset": invoke("run", "--knowledge", k),
        "no knowledge": invoke("run", "--dataset", d),
        "unknown flag": invoke("run", "--knowledge", k, "--dataset", d, "--fast"),
        "missing knowledge": invoke("run", "--knowledge", str(tmp_path / "nope"), "--dataset", d),
        "missing dataset": invoke("run", "--knowledge", k, "--dataset", str(tmp_path / "no.jsonl")),
        "malformed dataset": invoke("run", "--knowledge", k, "--dataset", str(bad)),
        "malformed gate": invoke("run", "--knowledge", k, "--dataset", d, "--gate", str(gate)),
        "missing gate": invoke("run", "--knowledge", k, "--dataset", d, "--gate", "no.yaml"),
        "out is a file": invoke("run", "--knowledge", k, "--dataset", d, "--out", str(bad)),
        "unknown run": invoke("compare", "no-such-run", "other"),
    }
    for name, result in cases.items():
        assert result.exit_code == 2, (name, result.output)
    assert f"{bad}:2:" in cases["malformed dataset"].output
    assert not (data_dir / "evals").exists()  # nothing half written


def test_export_approved_cli(tmp_path: Path, data_dir: Path) -> None:
    from chatbot.records import ApprovedAnswer
    from townhall.services import Services
    from townhall.settings import Settings

    with Session(Services(Settings()).engine) as db:
        db.add(
            ApprovedAnswer(
                question="q",
                answer="a",
                sources=[{"page": "x/p.md", "url": None}],
                approved_by="r@example.org",
            )
        )
        db.commit()
    out = tmp_path / "approved.jsonl"
    result = invoke("export-approved", "--out", str(out))
    assert result.exit_code == 0, result.output
    case = json.loads(out.read_text(encoding="utf-8"))
    assert case["expected_sources"] == ["p.md"] and case["expect"] == "answer"
    assert invoke("list").output.strip() == "No evaluation runs yet."


@pytest.mark.slow
def test_end_to_end_on_the_demo_council(
    tmp_path: Path, data_dir: Path, embedder, redactor, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("knowledge.base", reason="the knowledge base is absent")
    import townhall.cli_eval as cli_eval
    from evals.records import EvalRun
    from townhall.services import Services
    from townhall.settings import Settings

    def services() -> Services:  # the session's models, not a second copy
        s = Services(Settings())
        s.__dict__.update(embedder=embedder, redactor=redactor)
        return s

    monkeypatch.setattr(cli_eval, "_services", services)
    passing = tmp_path / "pass.yaml"
    passing.write_text("overall:\n  cases: '>= 100'\n  redaction.cases: '== 44'\n", "utf-8")
    failing = tmp_path / "fail.yaml"
    failing.write_text("overall:\n  retrieval.hit_at_1: '> 1'\n", "utf-8")
    null_key = tmp_path / "null.yaml"
    null_key.write_text("overall:\n  redaction.leak_rate: '<= 0'\n", "utf-8")
    k = ("--knowledge", str(DEMO))
    out_a = tmp_path / "run-a"

    first = invoke(
        "run",
        *k,
        "--dataset",
        str(DEMO_SET),
        "--dataset",
        str(REDACTION_SET),
        "--out",
        str(out_a),
        "--gate",
        str(passing),
    )
    assert first.exit_code == 0, first.output
    summary = json.loads((out_a / "summary.json").read_text(encoding="utf-8"))
    assert summary["cases"] == 104 and summary["gates"]["passed"] is True
    for key in (
        "retrieval",
        "answers",
        "escalation",
        "redaction",
        "safety",
        "latency_ms",
        "by_tag",
    ):
        assert key in summary
    assert set(summary["baselines"]) == {"bm25", "dense"}
    assert summary["baselines"]["bm25"]["retrieval"]["hit_at_5"] is not None
    assert summary["config"]["knowledge_base"] == "built"
    assert summary["retrieval"]["hit_at_5"] > 0.5  # the demo pages answer their own questions
    assert (out_a / "report.html").is_file() and (out_a / "transcripts.db").is_file()
    lines = (out_a / "cases.jsonl").read_text(encoding="utf-8")
    assert len(lines.splitlines()) == 104
    assert "07700 900123" not in lines and "AB 12 34 56 C" not in lines  # never unredacted
    kb_dirs = [p for p in (data_dir / "eval-kb").iterdir() if p.is_dir()]
    assert len(kb_dirs) == 1 and (kb_dirs[0] / "build.json").is_file()

    small = tmp_path / "small.jsonl"
    small.write_text("".join(DEMO_SET.read_text("utf-8").splitlines(True)[:3]), "utf-8")
    second = invoke("run", *k, "--dataset", str(small), "--gate", str(failing), "--no-baselines")
    assert second.exit_code == 1, second.output
    with Session(Services(Settings()).engine) as db:
        runs = db.exec(select(EvalRun)).all()
    assert len(runs) == 2 and {r.gates_passed for r in runs} == {True, False}
    run_b = next(r for r in runs if r.gates_passed is False)
    assert run_b.summary["config"]["knowledge_base"] == "reused"  # same content hash
    assert Path(run_b.out_dir).parent == data_dir.resolve() / "evals"
    assert (
        "baselines" not in run_b.summary and run_b.corpus_hash == summary["config"]["corpus_hash"]
    )

    third = invoke("run", *k, "--dataset", str(small), "--gate", str(null_key), "--no-baselines")
    assert third.exit_code == 2, third.output  # no redaction case: the gated value is null

    compared = invoke("compare", str(out_a), run_b.id)
    assert compared.exit_code == 0, compared.output
    assert "improved" in compared.output and "Retrieval hit@5" in compared.output

    # redaction cases are redacted with the evaluated pages' public terms: a number printed on
    # the demo pages (and in no council profile) quoted back is no over-redaction
    quoted = tmp_path / "quoted.jsonl"
    quoted.write_text(
        json.dumps({"id": "q-num", "text": "is 01632 960300 the council tax line?", "pii": [],
                    "must_keep": ["01632 960300"]}) + "\n",
        "utf-8",
    )  # fmt: skip
    out_q = tmp_path / "run-q"
    fourth = invoke("run", *k, "--dataset", str(quoted), "--out", str(out_q), "--no-baselines")
    assert fourth.exit_code == 0, fourth.output
    summary_q = json.loads((out_q / "summary.json").read_text(encoding="utf-8"))
    assert summary_q["redaction"]["over_redaction_rate"] == 0
