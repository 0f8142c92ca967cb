"""The probe's raw-SQL attacks on the audit log, on both databases: `INSERT OR REPLACE` and
`REPLACE INTO` rewrote row 1 on SQLite, `TRUNCATE` emptied it on PostgreSQL. (UPDATE and DELETE
are covered in test_staff_security.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from review_ui import audit
from review_ui.records import AuditEvent

AT = "2026-12-01 09:00:00"


def seed(engine: Engine) -> list[tuple[int, str, str]]:
    with Session(engine) as db:
        audit.record(db, actor="boss@b.example", action="approve", target_id=7)
        audit.record(db, actor="rev@b.example", action="reject", target_id=8)
        db.commit()
    return snapshot(engine)


def snapshot(engine: Engine) -> list[tuple[int, str, str]]:
    with Session(engine) as db:
        rows = db.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(int(r.id or 0), r.actor, r.action) for r in rows]


def refused(engine: Engine, statement: str) -> None:
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement), {"at": AT})


def test_rows_cannot_be_replaced_or_upserted(engine: Engine) -> None:
    before = seed(engine)
    first = before[0][0]
    values = f"({first}, :at, 'intruder@x.example', 'approve', NULL, NULL, NULL, NULL, NULL)"
    columns = "(id, at, actor, action, target_type, target_id, before, after, detail)"
    statements = [
        f"INSERT INTO audit_event {columns} VALUES {values} "
        "ON CONFLICT (id) DO UPDATE SET actor = excluded.actor"
    ]
    if engine.dialect.name == "sqlite":
        statements += [
            f"INSERT OR REPLACE INTO audit_event {columns} VALUES {values}",
            f"REPLACE INTO audit_event {columns} VALUES {values}",
        ]
    for statement in statements:
        refused(engine, statement)
    assert snapshot(engine) == before


@pytest.mark.postgres
def test_the_log_cannot_be_truncated(pg_engine: Engine) -> None:
    before = seed(pg_engine)
    refused(pg_engine, "TRUNCATE audit_event")
    refused(pg_engine, "TRUNCATE TABLE audit_event RESTART IDENTITY CASCADE")
    assert snapshot(pg_engine) == before


def test_new_events_are_still_written(engine: Engine) -> None:
    before = seed(engine)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_event (at, actor, action) VALUES (:at, 'system', 'expire')"),
            {"at": AT},
        )
    after = snapshot(engine)
    assert after[:2] == before and after[2][1:] == ("system", "expire")
