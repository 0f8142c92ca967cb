from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from townhall.db import migrate

TABLES = {
    "conversation",
    "message",
    "review_item",
    "approved_answer",
    "staff_user",
    "staff_session",
    "audit_event",
    "eval_run",
    "outbox_message",
    "answer_feedback",
    "reply_notification",
    "usage_statistic",
}


def test_migrations_from_empty_create_every_table(engine: Engine) -> None:
    assert TABLES <= set(inspect(engine).get_table_names())


def test_migrating_twice_is_a_no_op(engine: Engine) -> None:
    migrate(engine)
    assert TABLES <= set(inspect(engine).get_table_names())


def test_0002_makes_the_audit_log_append_only_and_downgrades(engine: Engine) -> None:
    """Migration 0002 (staff) adds database triggers refusing UPDATE/DELETE on audit_event."""
    import pytest
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from townhall.db import alembic_config

    head = ScriptDirectory.from_config(
        alembic_config(engine.url.render_as_string(hide_password=False))
    ).get_current_head()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    insert = text("INSERT INTO audit_event (at, actor, action) VALUES (:at, 'a', 'x')")
    with engine.begin() as conn:
        conn.execute(insert, {"at": "2026-11-23 09:00:00+00:00"})
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'b'"))
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(insert, {"at": "2026-11-23 09:00:00+00:00"})
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))
