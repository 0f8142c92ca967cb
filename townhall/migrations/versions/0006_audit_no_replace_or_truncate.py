"""audit log: refuse INSERT OR REPLACE (SQLite) and TRUNCATE (PostgreSQL) too

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 04:00:00

0002 refuses UPDATE and DELETE. The probe found two more ways to rewrite history: on SQLite,
`INSERT OR REPLACE` (and `REPLACE INTO`) deletes the conflicting row without firing delete
triggers (unless recursive triggers are on), so row 1 could be rewritten; on PostgreSQL,
`TRUNCATE` fires no row triggers, so the table could be emptied. A BEFORE INSERT trigger now
refuses any insert whose id is already taken, and a statement-level BEFORE TRUNCATE trigger
refuses truncation. (`INSERT ... ON CONFLICT DO UPDATE` already meets the update trigger.)
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_event is append-only"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # audit_event_append_only() (from 0002) raises for any trigger that calls it.
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )
        return
    op.execute(
        "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event "
        "WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_replace")
