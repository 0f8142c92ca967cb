"""The `townhall` command. Reads settings once and hands plain values to the layers."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from townhall.cli_ask import register as register_ask
from townhall.cli_data import data_app
from townhall.cli_data import purge as purge_command
from townhall.cli_eval import eval_app
from townhall.cli_gaps import register as register_gaps
from townhall.cli_site import register as register_site
from townhall.cli_staff import staff_app
from townhall.services import Services
from townhall.settings import Settings

app = typer.Typer(help="Townhall: a council's AI front desk.", no_args_is_help=True)
queue_app = typer.Typer(help="The staff review queue.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
app.add_typer(queue_app, name="queue")
app.add_typer(db_app, name="db")
app.add_typer(staff_app, name="staff")
app.add_typer(eval_app, name="eval")
app.add_typer(data_app, name="data")
app.command("purge")(purge_command)
register_ask(app)
register_gaps(app)
register_site(app)

console = Console(stderr=True)


def _services() -> Services:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return Services(Settings())


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Folders (or files) of Markdown/HTML pages.")],
    prune: Annotated[
        bool, typer.Option(help="Remove pages ingested from these paths that are gone.")
    ] = False,
) -> None:
    """Add or update the pages under each PATH in the knowledge base."""
    for p in paths:
        if not p.exists():
            console.print(f"[red]No such file or folder: {p}[/red]")
            raise typer.Exit(2)
    services = _services()
    kb = services.knowledge
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("reading", total=None)

        def report(done: int, total: int, stage: str) -> None:
            progress.update(task, completed=done, total=total, description=stage)

        summary = kb.ingest(paths, prune=prune, progress=report)
    for path, reason in summary.failed:
        console.print(f"[yellow]skipped {path}: {reason}[/yellow]")
    typer.echo(
        f"pages: {summary.added} added, {summary.changed} changed, {summary.removed} removed, "
        f"{summary.unchanged} unchanged; {summary.chunks} chunks "
        f"({summary.chunks_embedded} embedded) in {summary.seconds:.1f}s"
        + (f"; {len(summary.failed)} skipped" if summary.failed else "")
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the resident chat and the staff review queue (never ingests by itself).

    Brings the database schema up to date first (once, before any worker starts)."""
    from townhall.serving import run_server

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    run_server(Settings(), host=host, port=port, workers=workers)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema (safe to run from several places at once)."""
    from townhall.serving import upgrade_schema

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    before, after = upgrade_schema(Settings())
    if before == after:
        typer.echo(f"The database schema is up to date (revision {after}).")
    else:
        typer.echo(f"Migrated the database schema from {before or 'empty'} to {after}.")


@queue_app.command("list")
def queue_list(
    status: Annotated[
        str | None, typer.Option(help="new, claimed, approved, edited, rejected")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List review items (redacted questions only)."""
    from sqlmodel import Session, select

    from chatbot.records import ReviewItem
    from review_ui.queue import STATUSES

    if status and status not in STATUSES:
        typer.echo(f"{status!r} is not a status: use one of {', '.join(STATUSES)}.", err=True)
        raise typer.Exit(2)
    services = _services()
    with Session(services.engine) as db:
        q = select(ReviewItem).order_by(ReviewItem.priority, ReviewItem.created_at)
        if status:
            q = q.where(ReviewItem.status == status)
        items = db.exec(q).all()
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "reference": i.reference,
                        "status": i.status,
                        "route": i.route,
                        "priority": i.priority,
                        "confidence": i.confidence,
                        "service_area": i.service_area,
                        "question": i.question,
                        "created_at": i.created_at.isoformat(),
                    }
                    for i in items
                ],
                indent=2,
            )
        )
        return
    if not items:
        typer.echo("The queue is empty.")
        return
    for i in items:
        typer.echo(
            f"{i.reference}  {i.status:<8} {i.route:<15} p{i.priority}  "
            f"{i.created_at:%Y-%m-%d %H:%M}  {i.question[:80]}"
        )


@app.command("transparency-record")
def transparency_record_command(
    format: Annotated[str, typer.Option("--format", help="markdown or json")] = "markdown",
) -> None:
    """Print an Algorithmic Transparency Recording Standard record (tiers 1 and 2)."""
    from townhall.transparency import as_markdown, transparency_record

    if format not in ("markdown", "json"):
        typer.echo("--format must be markdown or json", err=True)
        raise typer.Exit(2)
    record = transparency_record(_services())
    if format == "json":
        typer.echo(json.dumps(record, indent=2, ensure_ascii=False, default=str))
    else:
        typer.echo(as_markdown(record))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
