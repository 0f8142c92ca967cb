"""Comparing two runs: headline metric deltas, and which cases got better or worse.

A case improved when it failed in run A and passes in run B (regressed: the other way round);
cases are matched by id. Runs are read from their folders (summary.json + cases.jsonl).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.gates import value_at
from evals.report import HEADLINES

# metrics where a smaller number is better
LOWER_IS_BETTER = frozenset(
    {
        "answers.confident_wrong_rate",
        "redaction.leak_rate",
        "redaction.over_redaction_rate",
        "safety.must_not_violations",
        "latency_ms.p50",
        "latency_ms.p95",
    }
)


class RunNotFound(ValueError):
    """A run folder is missing or does not hold summary.json and cases.jsonl."""


@dataclass
class Comparison:
    run_a: str
    run_b: str
    metrics: list[dict[str, Any]] = field(default_factory=list)
    improved: list[dict[str, Any]] = field(default_factory=list)
    regressed: list[dict[str, Any]] = field(default_factory=list)
    still_failing: int = 0
    still_passing: int = 0
    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def load_run(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    folder = Path(folder)
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        lines = (folder / "cases.jsonl").read_text(encoding="utf-8").splitlines()
        cases = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise RunNotFound(f"{folder}: not a readable evaluation run ({exc})") from None
    return summary, cases


def compare_runs(folder_a: Path, folder_b: Path) -> Comparison:
    summary_a, cases_a = load_run(folder_a)
    summary_b, cases_b = load_run(folder_b)
    result = Comparison(str(summary_a.get("run_id")), str(summary_b.get("run_id")))
    for label, key, percent in HEADLINES:
        a, b = value_at(summary_a, key), value_at(summary_b, key)
        delta = b - a if isinstance(a, int | float) and isinstance(b, int | float) else None
        verdict = "same"
        if delta is None:
            verdict = "n/a" if a is None and b is None else "changed"
        elif abs(delta) > 1e-9:
            better = delta < 0 if key in LOWER_IS_BETTER else delta > 0
            verdict = "better" if better else "worse"
        result.metrics.append(
            {
                "label": label,
                "key": key,
                "a": a,
                "b": b,
                "delta": delta,
                "verdict": verdict,
                "percent": percent,
            }
        )
    by_id_a = {c["id"]: c for c in cases_a}
    by_id_b = {c["id"]: c for c in cases_b}
    for case_id, a in by_id_a.items():
        b = by_id_b.get(case_id)
        if b is None:
            result.only_in_a.append(case_id)
            continue
        row = {
            "id": case_id,
            "question": b.get("question") or b.get("text"),
            "a": {"status": a.get("status"), "reasons": a.get("reasons", [])},
            "b": {"status": b.get("status"), "reasons": b.get("reasons", [])},
        }
        if a.get("passed") and not b.get("passed"):
            result.regressed.append(row)
        elif not a.get("passed") and b.get("passed"):
            result.improved.append(row)
        elif a.get("passed"):
            result.still_passing += 1
        else:
            result.still_failing += 1
    result.only_in_b = [i for i in by_id_b if i not in by_id_a]
    return result


def _num(value: Any, percent: bool, signed: bool = False) -> str:
    if value is None:
        return "–"
    sign = "+" if signed else ""
    if percent:
        return f"{value:{sign}.1%}"
    return f"{value:{sign},.0f}" if abs(value) >= 10 else f"{value:{sign}.3g}"


def format_comparison(c: Comparison) -> str:
    """The comparison as a council officer reads it in a terminal."""
    lines = [f"A: {c.run_a}", f"B: {c.run_b}", ""]
    lines.append(f"{'metric':<26}{'A':>10}{'B':>10}{'change':>10}")
    for m in c.metrics:
        verdict = "" if m["verdict"] == "same" else m["verdict"]
        lines.append(
            f"{m['label']:<26}{_num(m['a'], m['percent']):>10}{_num(m['b'], m['percent']):>10}"
            f"{_num(m['delta'], m['percent'], True):>10}  {verdict}"
        )
    lines += [
        "",
        f"cases: {len(c.improved)} improved, {len(c.regressed)} regressed, "
        f"{c.still_failing} still failing, {c.still_passing} still passing"
        + (f", {len(c.only_in_a)} only in A" if c.only_in_a else "")
        + (f", {len(c.only_in_b)} only in B" if c.only_in_b else ""),
    ]
    for title, rows in (("Regressed", c.regressed), ("Improved", c.improved)):
        if rows:
            lines += ["", f"{title}:"]
            for r in rows:
                lines.append(f"  {r['id']}: {str(r['question'] or '')[:90]}")
                lines.append(
                    f"    A {r['a']['status']}: {'; '.join(r['a']['reasons']) or 'passed'}"
                )
                lines.append(
                    f"    B {r['b']['status']}: {'; '.join(r['b']['reasons']) or 'passed'}"
                )
    return "\n".join(lines)
