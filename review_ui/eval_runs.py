"""Evaluation runs for the admin page: history, headline numbers, gates, report files.

Report files are served only from the folder a run recorded as its `out_dir`; a requested name
must resolve inside that folder, so `..` or absolute paths cannot reach anything else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from evals.records import EvalRun

# (label, dotted key in summary.json, shown as a percentage?)
HEADLINES = (
    ("Cases", "cases", False),
    ("Hit at 5", "retrieval.hit_at_5", True),
    ("Answered", "answers.answered_rate", True),
    ("Source correct", "answers.source_correct", True),
    ("Confidently wrong", "answers.confident_wrong_rate", True),
    ("Escalation recall", "escalation.recall", True),
    ("Redaction leaks", "redaction.leak_rate", True),
    ("p95 latency (ms)", "latency_ms.p95", False),
)
SERVED_SUFFIXES = (".html", ".json", ".jsonl", ".csv", ".txt", ".md")


@dataclass
class RunRow:
    run: EvalRun
    numbers: list[tuple[str, str]]
    failed_gates: list[dict[str, Any]]
    files: list[str]


def dotted(summary: dict[str, Any], key: str) -> Any:
    value: Any = summary
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _format(value: Any, as_percent: bool) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return (
            f"{value:.1%}"
            if as_percent
            else f"{value:,.0f}"
            if value == int(value)
            else f"{value:,.1f}"
        )
    return str(value)[:40]


def shown_path(value: str, base: Path | None = None) -> str:
    """A path as the page shows it: relative to the folder Townhall runs in (`../shared/...`
    for a sibling folder), never the server's absolute layout; the last two parts when the
    path shares nothing with it but the root."""
    path = Path(value)
    if not path.is_absolute():
        return path.as_posix()
    base = (base or Path.cwd()).resolve()
    try:
        common = Path(os.path.commonpath([path, base]))
    except ValueError:
        common = Path(path.anchor)
    if common != Path(common.anchor):
        return Path(os.path.relpath(path, base)).as_posix()
    return "…/" + "/".join(path.parts[-2:])


def report_files(run: EvalRun) -> list[str]:
    """The report-like files directly in the run's folder (names only)."""
    folder = Path(run.out_dir) if run.out_dir else None
    if folder is None or not folder.is_dir():
        return []
    names = [p.name for p in folder.iterdir() if p.is_file() and p.suffix in SERVED_SUFFIXES]
    return sorted(names, key=lambda n: (not n.endswith(".html"), n))


def list_runs(engine: Engine, limit: int = 100) -> list[RunRow]:
    with Session(engine) as db:
        runs = list(
            db.exec(select(EvalRun).order_by(col(EvalRun.created_at).desc()).limit(limit)).all()
        )
    rows = []
    for run in runs:
        summary = run.summary or {}
        gates = summary.get("gates") if isinstance(summary.get("gates"), dict) else {}
        failed = [g for g in (gates or {}).get("failed", []) if isinstance(g, dict)]
        rows.append(
            RunRow(
                run=run,
                numbers=[(label, _format(dotted(summary, k), pct)) for label, k, pct in HEADLINES],
                failed_gates=failed,
                files=report_files(run),
            )
        )
    return rows


def run_file(engine: Engine, run_id: str, name: str) -> Path | None:
    """The file `name` inside run `run_id`'s recorded folder, or None (unknown run, a name that
    leaves the folder, a sub-folder, a kind of file we do not serve)."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return None
    if not name.endswith(SERVED_SUFFIXES):
        return None
    with Session(engine) as db:
        run = db.get(EvalRun, run_id[:64])
    if run is None or not run.out_dir:
        return None
    folder = Path(run.out_dir).resolve()
    candidate = (folder / name).resolve()
    if candidate.parent != folder or not candidate.is_file():
        return None
    return candidate
