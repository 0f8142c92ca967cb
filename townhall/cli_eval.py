"""`townhall eval ...`: evaluation runs for pilot teams (filled in by the evaluation work)."""

from __future__ import annotations

import typer

eval_app = typer.Typer(
    help="Evaluate Townhall on question and redaction datasets.", no_args_is_help=True
)
