"""`townhall staff ...`: staff accounts from the terminal (filled in by the review queue work)."""

from __future__ import annotations

import typer

staff_app = typer.Typer(help="Staff accounts for the review queue.", no_args_is_help=True)
