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
}


def test_migrations_from_empty_create_every_table(engine: Engine) -> None:
    assert TABLES <= set(inspect(engine).get_table_names())


def test_migrating_twice_is_a_no_op(engine: Engine) -> None:
    migrate(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
