"""`townhall gaps`: the content-gaps report in the terminal (the staff app has it at
/staff/gaps). Exit 0 when no gaps were found in the period, 1 when it reports some, 2 on bad
use (a malformed --since, a database that is not Townhall's)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from townhall.services import Services
from townhall.settings import Settings


def register(app: typer.Typer) -> None:
    @app.command("gaps")
    def gaps_command(
        since: Annotated[str, typer.Option(help="How far back: 30d, 12h, 2w, or all.")] = "30d",
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        csv_path: Annotated[
            Path | None, typer.Option("--csv", help="Also write the topics to this CSV file.")
        ] = None,
        database: Annotated[
            str | None,
            typer.Option(
                help="Read another Townhall database: a SQLite file (such as an evaluation "
                "run's transcripts.db) or a database URL. Default: the configured one."
            ),
        ] = None,
    ) -> None:
        """Questions the pages fail to answer, grouped by topic, biggest first."""
        from sqlalchemy import inspect

        from chatbot.records import utcnow
        from review_ui.gaps import build_report, gap_questions, parse_since
        from townhall.db import make_engine

        try:
            hours = parse_since(since)
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        services = _services()
        if database:
            url = database if "://" in database else _sqlite_url(Path(database))
            engine = make_engine(url)
            try:
                tables = set(inspect(engine).get_table_names())
            except Exception as exc:  # noqa: BLE001 - an unreachable or unreadable database
                typer.echo(f"Cannot read {database}: {type(exc).__name__}", err=True)
                raise typer.Exit(2) from None
            if "review_item" not in tables:
                typer.echo(f"{database} is not a Townhall database (no review items)", err=True)
                raise typer.Exit(2)
        else:
            engine = services.engine
        start = None if hours is None else utcnow() - timedelta(hours=hours)
        report = build_report(gap_questions(engine, since=start), services.embedder, since=start)
        if csv_path is not None:
            csv_path.write_text(report.to_csv(), encoding="utf-8")
        if as_json:
            typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        else:
            typer.echo(as_text(report, since))
        raise typer.Exit(1 if report.clusters else 0)


def _services() -> Services:
    return Services(Settings())


def _sqlite_url(path: Path) -> str:
    if not path.is_file():
        typer.echo(f"No such database file: {path}", err=True)
        raise typer.Exit(2)
    return f"sqlite:///{path.resolve()}"


def as_text(report, since: str) -> str:  # type: ignore[no-untyped-def]
    """The report for a terminal: one block per topic."""
    period = "in all time" if report.since is None else f"in the last {since}"
    lines = [
        f"Content gaps {period}: {report.questions} question"
        f"{'' if report.questions == 1 else 's'} in {len(report.clusters)} topic"
        f"{'' if len(report.clusters) == 1 else 's'}"
    ]
    for n, c in enumerate(report.clusters, 1):
        lines += [
            "",
            f"{n}. {c.size} question{'' if c.size == 1 else 's'} - {c.service_area}"
            + (f" - key words: {', '.join(c.key_words)}" if c.key_words else ""),
            "   why: " + ", ".join(f"{why} {count}" for why, count in c.why.items()),
        ]
        lines += [f'   "{example}"' for example in c.examples]
        if c.closest_pages:
            lines.append(
                "   closest pages: "
                + "; ".join(f"{p.title} ({p.page}) {p.questions}/{c.size}" for p in c.closest_pages)
            )
    return "\n".join(lines)
