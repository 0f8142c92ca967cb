"""Dataset reading: the committed sets load, malformed lines are refused naming file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.datasets import DatasetError, QuestionCase, RedactionCase, load_datasets

DATASETS = Path(__file__).resolve().parents[2] / "evals" / "datasets"


def write(tmp_path: Path, *lines: str, name: str = "set.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_committed_datasets_load() -> None:
    files = sorted(DATASETS.glob("*.jsonl"))
    data = load_datasets(files)
    assert data.questions and data.redactions
    escalate = [c for c in data.questions if c.source_file == "escalate-shared-corpus.jsonl"]
    assert 30 <= len(escalate) <= 45
    assert all(c.expect in ("escalate", "urgent") and c.tags for c in escalate)
    assert any(c.must_not for c in escalate)


def test_shared_dev_set_loads(shared_dev_set: Path) -> None:
    data = load_datasets([shared_dev_set])
    assert len(data.questions) == 113 and not data.redactions
    assert data.questions[0].extra["publisher"]  # unknown keys are kept


def test_question_and_redaction_cases_and_unknown_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        json.dumps(
            {
                "id": "q1",
                "question": "bins?",
                "expect": "answer",
                "tags": ["bins"],
                "expected_sources": ["a.md"],
                "note": "kept",
            }
        ),
        "",
        json.dumps(
            {
                "id": "r1",
                "text": "call 07700 900123",
                "pii": [{"type": "PHONE_NUMBER", "value": "07700 900123"}],
                "must_keep": ["call"],
            }
        ),
    )
    data = load_datasets([path])
    assert data.cases == 2
    q, r = data.questions[0], data.redactions[0]
    assert isinstance(q, QuestionCase) and q.expected_sources == ("a.md",)
    assert q.extra == {"note": "kept"} and q.source_file == "set.jsonl"
    assert isinstance(r, RedactionCase) and r.pii[0].type == "PHONE_NUMBER"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"question": "x", "expect": "answer"}', "'id' is required"),
        ('{"id": "q", "question": "", "expect": "answer"}', "'question' must be"),
        ('{"id": "q", "question": "x", "expect": "maybe"}', "'expect' must be"),
        ('{"id": "q", "question": "x"}', "'expect' must be"),
        ('{"id": "q", "question": "x", "expect": "answer", "key_facts": [1]}', "'key_facts'"),
        ('{"id": "q", "question": "x", "expect": "answer", "tags": {"a": 1}}', "'tags'"),
        ('{"id": "q", "question": "x", "expect": "answer", "reference_answer": 3}', "reference"),
        ('{"id": "r", "text": "hi"}', "'pii' must be a list"),
        ('{"id": "r", "text": "hi", "pii": [{"type": "PERSON"}]}', "pii item 1"),
        ('{"id": "r", "text": "hi", "pii": [{"type": "PERSON", "value": "Jo"}]}', "not in 'text'"),
        ('{"id": "x", "expect": "answer"}', "neither a question case"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    ok = json.dumps({"id": "ok", "question": "x", "expect": "answer"})
    path = write(tmp_path, ok, line)
    with pytest.raises(DatasetError, match=message) as info:
        load_datasets([path])
    assert str(info.value).startswith(f"{path}:2:")


def test_duplicate_ids_empty_and_unreadable_files(tmp_path: Path) -> None:
    ok = json.dumps({"id": "same", "question": "x", "expect": "answer"})
    a, b = write(tmp_path, ok, name="a.jsonl"), write(tmp_path, ok, name="b.jsonl")
    with pytest.raises(DatasetError, match="already used"):
        load_datasets([a, b])
    with pytest.raises(DatasetError, match="holds no cases"):
        load_datasets([write(tmp_path, "", name="empty.jsonl")])
    with pytest.raises(DatasetError, match="cannot be read"):
        load_datasets([tmp_path / "absent.jsonl"])
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(b'{"id": "q", "question": "caf\xe9", "expect": "answer"}\n')
    with pytest.raises(DatasetError, match="not UTF-8"):
        load_datasets([bad])


def test_public_names_are_what_they_claim() -> None:
    # Loaded from its file: under pytest the name `evals` can resolve to this tests/evals folder.
    import importlib.util

    spec = importlib.util.spec_from_file_location("evals_public", DATASETS.parent / "__init__.py")
    assert spec is not None and spec.loader is not None
    public = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(public)
    for name in public.__all__:
        assert getattr(public, name).__module__.startswith("evals.")
