"""`townhall sync-site URL`: the council's website -> the knowledge base, incrementally."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from townhall.services import Services


def register(app: typer.Typer) -> None:
    """Add the `sync-site` command to the main app."""
    app.command("sync-site")(sync_site)


def _services() -> Services:
    from townhall.services import Services
    from townhall.settings import Settings

    return Services(Settings())


def sync_site(
    url: Annotated[
        str, typer.Argument(help="The site's address, its sitemap.xml, or a start page.")
    ],
    max_pages: Annotated[
        int | None,
        typer.Option("--max-pages", min=1, help="Read at most N pages (then nothing is removed)."),
    ] = None,
    concurrency: Annotated[
        int, typer.Option(min=1, max=16, help="Requests in flight at once.")
    ] = 4,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Read the pages a sitemap lists (or a start page links to) into the knowledge base.

    Exit status: 0 every page read; 1 it ran but some pages failed (listed); 2 bad use.
    """
    from knowledge.site import FetchPolicy, site_root
    from knowledge.site import sync_site as run_sync

    console = Console(stderr=True)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        site_root(url)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    services = _services()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("starting", total=None)

        def report(done: int, total: int, stage: str) -> None:
            progress.update(task, completed=done, total=total or None, description=stage)

        summary = run_sync(
            services.knowledge,
            url,
            max_pages=max_pages,
            policy=FetchPolicy(concurrency=concurrency),
            progress=report,
        )
    if as_json:
        typer.echo(json.dumps(summary.as_dict(), indent=2))
    else:
        for failed_url, reason in summary.failed:
            console.print(f"[yellow]failed {failed_url}: {reason}[/yellow]")
        i = summary.ingest
        typer.echo(
            f"{summary.root}: {summary.discovered} pages listed ({summary.source or 'none'}); "
            f"{i.added} added, {i.changed} changed, {i.unchanged} unchanged, {i.removed} removed, "
            f"{len(summary.failed)} failed; {summary.fetched} fetched, {summary.not_modified} "
            f"not modified (304); {i.chunks} chunks ({i.chunks_embedded} embedded) "
            f"in {summary.seconds:.1f}s"
        )
        if not summary.pruned:
            typer.echo("Nothing was removed: the page list was incomplete or limited.")
    raise typer.Exit(0 if summary.ok else 1)
