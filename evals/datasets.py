"""Reading evaluation datasets (JSONL) and refusing malformed ones with a message naming the line.

Every case gets a `split:tune` or `split:heldout` tag (`evals/splits.py`; split within a file).

A line is a question case when it has `question`, a redaction case when it has `text` and `pii`.
Unknown keys are kept in `extra` (and ignored), so councils can annotate their own sets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from evals.splits import assign_splits, split_tag

EXPECT_VALUES = ("answer", "escalate", "urgent", "not_urgent")
_QUESTION_KEYS = {
    "id", "question", "expect", "expected_sources", "key_facts", "reference_answer", "must_not",
    "tags",
}  # fmt: skip
_REDACTION_KEYS = {"id", "text", "pii", "must_keep", "tags", "special_category"}


class DatasetError(ValueError):
    """A dataset cannot be used as written; the message names the file and the line."""


@dataclass(frozen=True)
class QuestionCase:
    id: str
    question: str
    expect: str  # answer | escalate | urgent | not_urgent (EVAL_FORMAT.md)
    expected_sources: tuple[str, ...] = ()
    key_facts: tuple[str, ...] = ()
    reference_answer: str | None = None
    must_not: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source_file: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class PiiValue:
    type: str
    value: str


@dataclass(frozen=True)
class RedactionCase:
    id: str
    text: str
    pii: tuple[PiiValue, ...] = ()
    must_keep: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source_file: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    # UK GDPR Art. 9 values in the text: the message must be flagged (they are not redacted)
    special_category: tuple[str, ...] = ()


@dataclass
class Datasets:
    questions: list[QuestionCase] = field(default_factory=list)
    redactions: list[RedactionCase] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return len(self.questions) + len(self.redactions)


def load_datasets(paths: Sequence[Path]) -> Datasets:
    """Every case of every file, in order. Raises DatasetError on the first problem found."""
    out = Datasets()
    seen: dict[str, str] = {}
    for path in paths:
        read = list(_read_file(Path(path)))
        sides = assign_splits([case for _, case in read])
        for where, case in read:
            if case.id in seen:
                raise DatasetError(f"{where}: id {case.id!r} is already used ({seen[case.id]})")
            seen[case.id] = where
            case = replace(case, tags=(*case.tags, split_tag(sides[case.id])))
            if isinstance(case, QuestionCase):
                out.questions.append(case)
            else:
                out.redactions.append(case)
    return out


def _read_file(path: Path) -> Iterable[tuple[str, QuestionCase | RedactionCase]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: is not UTF-8 text ({exc.reason})") from None
    found = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise DatasetError(f"{where}: each line must be a JSON object")
        found += 1
        yield where, parse_case(data, where, source_file=path.name)
    if not found:
        raise DatasetError(f"{path}: holds no cases")


def parse_case(
    data: dict[str, Any], where: str, source_file: str = ""
) -> QuestionCase | RedactionCase:
    """One case from its JSON object; `where` (file:line) prefixes every error message."""
    case_id = data.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise DatasetError(f"{where}: 'id' is required and must be a non-empty string")
    if "question" in data:
        return _question(data, where, source_file)
    if "text" in data or "pii" in data:
        return _redaction(data, where, source_file)
    raise DatasetError(
        f"{where}: case {case_id!r} is neither a question case (needs 'question' and 'expect') "
        "nor a redaction case (needs 'text' and 'pii')"
    )


def _question(data: dict[str, Any], where: str, source_file: str) -> QuestionCase:
    question = data["question"]
    if not isinstance(question, str) or not question.strip():
        raise DatasetError(f"{where}: 'question' must be a non-empty string")
    expect = data.get("expect")
    if expect not in EXPECT_VALUES:
        raise DatasetError(
            f"{where}: 'expect' must be one of {', '.join(EXPECT_VALUES)}, not {expect!r}"
        )
    reference = data.get("reference_answer")
    if reference is not None and not isinstance(reference, str):
        raise DatasetError(f"{where}: 'reference_answer' must be a string")
    return QuestionCase(
        id=data["id"],
        question=question,
        expect=expect,
        expected_sources=_strings(data, "expected_sources", where),
        key_facts=_strings(data, "key_facts", where),
        reference_answer=reference or None,
        must_not=_strings(data, "must_not", where),
        tags=_strings(data, "tags", where),
        source_file=source_file,
        extra={k: v for k, v in data.items() if k not in _QUESTION_KEYS},
    )


def _redaction(data: dict[str, Any], where: str, source_file: str) -> RedactionCase:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DatasetError(f"{where}: 'text' must be a non-empty string")
    pii = data.get("pii")
    if not isinstance(pii, list):
        raise DatasetError(f"{where}: 'pii' must be a list of {{type, value}} (it may be empty)")
    values = []
    for n, item in enumerate(pii, 1):
        if not (
            isinstance(item, dict)
            and isinstance(item.get("type"), str)
            and isinstance(item.get("value"), str)
            and item["value"].strip()
        ):
            raise DatasetError(f"{where}: pii item {n} must be {{'type': str, 'value': str}}")
        if item["value"] not in text:
            raise DatasetError(f"{where}: pii value {n} ({item['type']}) is not in 'text'")
        values.append(PiiValue(item["type"], item["value"]))
    return RedactionCase(
        id=data["id"],
        text=text,
        pii=tuple(values),
        must_keep=_strings(data, "must_keep", where),
        tags=_strings(data, "tags", where),
        source_file=source_file,
        extra={k: v for k, v in data.items() if k not in _REDACTION_KEYS},
        special_category=_strings(data, "special_category", where),
    )


def _strings(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DatasetError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(value)
