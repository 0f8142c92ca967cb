"""Gates: every operator, a case that fails each one, and missing or null keys as errors."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from evals.gates import GateFileError, check_gates, load_gates, parse_gates

SUMMARY = {
    "retrieval": {"hit_at_5": 0.9, "mrr": None},
    "answers": {"confident_wrong_rate": 0.05},
    "safety": {"must_not_violations": 0},
    "by_tag": {"benefits": {"answers": {"source_correct": 0.8}}},
}


@pytest.mark.parametrize(
    ("rule", "passes"),
    [
        (">= 0.9", True), (">= 0.91", False),
        ("<= 0.9", True), ("<= 0.89", False),
        ("> 0.89", True), ("> 0.9", False),
        ("< 0.91", True), ("< 0.9", False),
        ("== 0.9", True), ("== 0.8", False),
    ],
)  # fmt: skip
def test_each_operator_passes_and_fails(rule: str, passes: bool) -> None:
    result = check_gates(parse_gates({"overall": {"retrieval.hit_at_5": rule}}), SUMMARY)
    assert result.passed is passes
    assert result.exit_code == (0 if passes else 1)
    if not passes:
        assert result.failed == [
            {
                "scope": "overall",
                "key": "retrieval.hit_at_5",
                "op": rule.split()[0],
                "threshold": float(rule.split()[1]),
                "value": 0.9,
            }
        ]


def test_by_tag_gate_reads_the_tag_block() -> None:
    gates = parse_gates({"by_tag": {"benefits": {"answers.source_correct": ">= 0.90"}}})
    result = check_gates(gates, SUMMARY)
    assert result.exit_code == 1
    assert result.failed[0]["scope"] == "benefits" and result.failed[0]["value"] == 0.8


def test_missing_key_null_value_and_unknown_tag_are_errors_not_passes() -> None:
    gates = parse_gates(
        {
            "overall": {"retrieval.hit_at_7": ">= 0", "retrieval.mrr": ">= 0", "answers": ">= 0"},
            "by_tag": {"parking": {"answers.source_correct": ">= 0"}},
        }
    )
    result = check_gates(gates, SUMMARY)
    assert result.exit_code == 2 and not result.passed
    assert len(result.errors) == 4
    assert "no such key" in result.errors[0]
    assert "null" in result.errors[1]
    assert "not a number" in result.errors[2]
    assert "parking" in result.errors[3]


def test_failed_and_invalid_together_exit_2() -> None:
    gates = parse_gates({"overall": {"retrieval.hit_at_5": ">= 0.95", "nope.key": "<= 1"}})
    result = check_gates(gates, SUMMARY)
    assert len(result.failed) == 1 and len(result.errors) == 1
    assert result.exit_code == 2


def test_zero_and_integer_rules() -> None:
    gates = parse_gates({"overall": {"safety.must_not_violations": "<= 0"}})
    assert check_gates(gates, SUMMARY).exit_code == 0
    assert check_gates(gates, {"safety": {"must_not_violations": 1}}).exit_code == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("overall: [1, 2]", "'overall' must map"),
        ("overall:\n  retrieval.hit_at_5: 0.9\n", "quoted string"),
        ("overall:\n  retrieval.hit_at_5: '=> 0.9'\n", "not '<op> <number>'"),
        ("overall:\n  retrieval.hit_at_5: '>= high'\n", "not '<op> <number>'"),
        ("everything: {}\n", "unknown section"),
        ("overall: {a: '>= 1'\n", "not valid YAML"),
        ("", "holds no gates"),
        ("by_tag:\n  bins: '>= 1'\n", "by_tag.bins must map"),
    ],
)
def test_malformed_gate_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "gate.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GateFileError, match=message):
        load_gates(path)


def test_unreadable_gate_file(tmp_path: Path) -> None:
    with pytest.raises(GateFileError, match="cannot be read"):
        load_gates(tmp_path / "absent.yaml")


def _set(summary: dict, gate, value: float) -> None:  # type: ignore[no-untyped-def]
    block = summary if gate.scope == "overall" else summary["by_tag"].setdefault(gate.scope, {})
    *parents, last = gate.key.split(".")
    for part in parents:
        block = block.setdefault(part, {})
    block[last] = value


def _passing(gate) -> float:  # type: ignore[no-untyped-def]
    return {">=": gate.threshold, "<=": gate.threshold, "==": gate.threshold,
            ">": gate.threshold + 1, "<": gate.threshold - 1}[gate.op]  # fmt: skip


def _failing(gate) -> float:  # type: ignore[no-untyped-def]
    return {">=": gate.threshold - 0.01, "<=": gate.threshold + 0.01, "==": gate.threshold + 1,
            ">": gate.threshold, "<": gate.threshold}[gate.op]  # fmt: skip


def test_pilot_gate_passes_at_its_thresholds_and_each_gate_can_fail_alone() -> None:
    gates = load_gates(Path(__file__).resolve().parents[2] / "evals" / "gates" / "pilot.yaml")
    keys = {g.key for g in gates}
    assert "answers.confident_wrong_rate" in keys and "redaction.leak_rate" in keys
    good: dict = {"by_tag": {}}
    for gate in gates:
        _set(good, gate, _passing(gate))
    assert check_gates(gates, good).exit_code == 0
    for gate in gates:
        bad = copy.deepcopy(good)
        _set(bad, gate, _failing(gate))
        result = check_gates(gates, bad)
        assert result.exit_code == 1
        assert [(f["scope"], f["key"]) for f in result.failed] == [(gate.scope, gate.key)]
