"""Gates: thresholds a run must meet, overall and per tag, so a council can fail its CI on them.

A gate naming a key that does not exist, or whose value is null (nothing to measure), is an
error and never a pass. Exit status: 0 all passed, 1 a gate failed, 2 an error (even if another
gate failed too).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}
_RULE = re.compile(r"^\s*(>=|<=|==|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$")


class GateFileError(ValueError):
    """The gate file cannot be read or is not in the documented format."""


@dataclass(frozen=True)
class Gate:
    scope: str  # "overall" or a tag
    key: str  # dotted path into summary.json (or the tag's block)
    op: str
    threshold: float


@dataclass
class GateResult:
    checked: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failed and not self.errors

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else 1 if self.failed else 0

    def as_summary(self) -> dict[str, Any]:
        return {"passed": self.passed, "failed": self.failed, "errors": self.errors}


def parse_rule(rule: Any, where: str) -> tuple[str, float]:
    """'>= 0.9' -> ('>=', 0.9)."""
    if not isinstance(rule, str):
        raise GateFileError(
            f'{where}: the rule must be a quoted string like ">= 0.9", not {rule!r}'
        )
    m = _RULE.match(rule)
    if not m:
        raise GateFileError(f"{where}: {rule!r} is not '<op> <number>' with op one of {list(OPS)}")
    return m.group(1), float(m.group(2))


def parse_gates(data: Any, source: str = "gates") -> list[Gate]:
    if data is None:
        return []
    if not isinstance(data, dict):
        raise GateFileError(f"{source}: must be a mapping with 'overall' and/or 'by_tag'")
    unknown = set(data) - {"overall", "by_tag"}
    if unknown:
        raise GateFileError(f"{source}: unknown section(s) {sorted(map(str, unknown))}")
    gates: list[Gate] = []
    overall = data.get("overall") or {}
    if not isinstance(overall, dict):
        raise GateFileError(f"{source}: 'overall' must map keys to rules")
    for key, rule in overall.items():
        op, value = parse_rule(rule, f"{source}: overall.{key}")
        gates.append(Gate("overall", str(key), op, value))
    by_tag = data.get("by_tag") or {}
    if not isinstance(by_tag, dict):
        raise GateFileError(f"{source}: 'by_tag' must map tags to their gates")
    for tag, rules in by_tag.items():
        if not isinstance(rules, dict):
            raise GateFileError(f"{source}: by_tag.{tag} must map keys to rules")
        for key, rule in rules.items():
            op, value = parse_rule(rule, f"{source}: by_tag.{tag}.{key}")
            gates.append(Gate(str(tag), str(key), op, value))
    return gates


def load_gates(path: Path) -> list[Gate]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GateFileError(f"{path}: cannot be read ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GateFileError(f"{path}: not valid YAML ({exc})") from None
    gates = parse_gates(data, str(path))
    if not gates:
        raise GateFileError(f"{path}: holds no gates")
    return gates


_MISSING = object()


def lookup(block: Any, dotted: str) -> Any:
    """The value at a dotted path, or _MISSING when any part is absent."""
    for part in dotted.split("."):
        if not isinstance(block, dict) or part not in block:
            return _MISSING
        block = block[part]
    return block


def value_at(block: Any, dotted: str) -> Any:
    """The value at a dotted path, None when absent (for display, never for gates)."""
    value = lookup(block, dotted)
    return None if value is _MISSING else value


def check_gates(gates: list[Gate], summary: dict[str, Any]) -> GateResult:
    result = GateResult()
    for gate in gates:
        result.checked += 1
        label = gate.key if gate.scope == "overall" else f"by_tag.{gate.scope}.{gate.key}"
        if gate.scope == "overall":
            block: Any = summary
        else:
            block = (summary.get("by_tag") or {}).get(gate.scope, _MISSING)
            if block is _MISSING:
                result.errors.append(f"{label}: no case carries the tag {gate.scope!r}")
                continue
        value = lookup(block, gate.key)
        if value is _MISSING:
            result.errors.append(f"{label}: no such key in summary.json")
            continue
        if value is None:
            result.errors.append(f"{label}: is null (nothing to measure), so it cannot pass")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            result.errors.append(f"{label}: is not a number ({type(value).__name__})")
            continue
        if not OPS[gate.op](value, gate.threshold):
            result.failed.append(
                {
                    "scope": gate.scope,
                    "key": gate.key,
                    "op": gate.op,
                    "threshold": gate.threshold,
                    "value": value,
                }
            )
    return result
