"""`townhall staff ...`: staff accounts from the terminal (the first admin is made here).

`staff add` never prompts when stdin is not a terminal (CI has no stdin): the password comes
from stdin with `--password-stdin`, or is generated and printed once.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

staff_app = typer.Typer(help="Staff accounts for the review queue.", no_args_is_help=True)


def _engine():  # type: ignore[no-untyped-def]
    from townhall.services import Services
    from townhall.settings import Settings

    return Services(Settings()).engine


@staff_app.command("add")
def add(
    email: Annotated[str, typer.Option(help="The person's email address (their sign-in name).")],
    role: Annotated[str, typer.Option(help="reviewer or admin")] = "reviewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a staff account; prints a generated password once unless --password-stdin."""
    from review_ui.auth import generate_password
    from review_ui.users import StaffChangeRefused, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        generated = False
    else:
        password = generate_password()
        generated = True
    try:
        user = add_user(_engine(), email=email, role=role, password=password, actor="cli")
    except StaffChangeRefused as exc:
        typer.echo(f"Could not add {email}: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Added {user.email} ({user.role}).")
    if generated:
        typer.echo(f"Password (shown once, keep it safe): {password}")


@staff_app.command("list")
def list_staff(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List staff accounts (never their password hashes)."""
    from review_ui.users import list_users

    users = list_users(_engine())
    rows = [
        {
            "email": u.email,
            "role": u.role,
            "active": u.active,
            "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
        }
        for u in users
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("No staff accounts yet. Add one: townhall staff add --email E --role admin")
        return
    for r in rows:
        state = "active" if r["active"] else "deactivated"
        typer.echo(f"{r['email']:<40} {r['role']:<9} {state}")
