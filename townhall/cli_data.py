"""`townhall purge` and `townhall data export|erase REF`: retention and residents' rights.

The work is done by `review_ui.personal_data` (it spans the resident records and the audit
log); this module only reads the settings and prints. Exit status: 0 done, 1 ran and found a
problem it reports (an unknown reference), 2 bad use (a malformed reference).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

data_app = typer.Typer(
    help="A resident's data, by reference code: subject access and erasure.", no_args_is_help=True
)


def _services():  # type: ignore[no-untyped-def]
    from townhall.services import Services
    from townhall.settings import Settings

    return Services(Settings())


def _reference(typed: str) -> str:
    from chatbot.references import normalise_reference

    try:
        reference = normalise_reference(typed)
    except ValueError:
        reference = ""
    if not reference:
        typer.echo("That is not a reference code (they look like TH-7KQ2-M9XD-4RPA).", err=True)
        raise typer.Exit(2)
    return reference


def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be deleted; delete nothing.")
    ] = False,
) -> None:
    """Delete transcripts and closed review items past their retention period (shorter for
    special-category data), keeping approved answers and aggregate statistics."""
    from review_ui.personal_data import purge as run_purge

    services = _services()
    settings = services.settings
    report = run_purge(
        services.engine,
        retention_days=settings.retention_days,
        special_category_days=settings.special_category_retention_days,
        dry_run=dry_run,
    )
    verb = "would delete" if dry_run else "deleted"
    typer.echo(
        f"{verb}: {report.conversations} conversations ({report.messages} messages), "
        f"{report.review_items} closed review items; retention {settings.retention_days} days, "
        f"{settings.special_category_retention_days} for special-category data"
    )


@data_app.command("export")
def export(
    reference: Annotated[str, typer.Argument(help="The resident's reference code.")],
) -> None:
    """Print everything held under a reference code as JSON (a subject access request)."""
    from review_ui.personal_data import export_reference

    code = _reference(reference)
    data = export_reference(_services().engine, code)
    if data is None:
        typer.echo("No record has that reference (it may have been erased or purged).", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@data_app.command("erase")
def erase(reference: Annotated[str, typer.Argument(help="The resident's reference code.")]) -> None:
    """Erase everything held under a reference code (the right to erasure)."""
    from review_ui.personal_data import erase_reference

    code = _reference(reference)
    report = erase_reference(_services().engine, code)
    if report is None:
        typer.echo("No record has that reference (it may have been erased or purged).", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"erased: {report.review_items} review items, {report.conversations} conversations, "
        f"{report.messages} messages; {report.approved_answers_unlinked} approved answers kept "
        "(unlinked)"
    )
