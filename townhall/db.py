"""Engine creation and schema migration; the only place that knows every layer's tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def import_all_tables() -> None:
    """Register every layer's tables on SQLModel.metadata (for Alembic and tests)."""
    import chatbot.records  # noqa: F401
    import evals.records  # noqa: F401
    import outbox.records  # noqa: F401
    import review_ui.records  # noqa: F401


SQLITE_BUSY_TIMEOUT_SECONDS = 30.0


def make_engine(url: str, *, busy_timeout_seconds: float = SQLITE_BUSY_TIMEOUT_SECONDS) -> Engine:
    """SQLite gets WAL and a busy timeout so the web app and CLI can share one file: a
    connection waits that long for another writer's lock, then fails with "database is
    locked" (which the resident routes answer with a 503, chatbot/unavailable.py)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        timeout = float(busy_timeout_seconds)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": timeout},
            hide_parameters=True,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            # explicit, though pysqlite's `timeout` sets it too: the one number every
            # statement (BEGIN IMMEDIATE included) waits for a lock
            cur.execute(f"PRAGMA busy_timeout={round(timeout * 1000)}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
            dbapi_conn.isolation_level = None  # transactions begin below, not in pysqlite

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # Take the write lock at BEGIN: a transaction that read first and then wrote
            # failed with "database is locked" at once under load (a WAL snapshot cannot be
            # upgraded, so the busy timeout never applied); waiting at BEGIN uses the timeout.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    # a stopped database answers "not ready" in seconds instead of hanging a worker;
    # hide_parameters: a failed statement's error (and so the log) never holds what was typed.
    return create_engine(
        url, pool_pre_ping=True, connect_args={"connect_timeout": 10}, hide_parameters=True
    )


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class SchemaOutOfDate(RuntimeError):
    """The database is not at the revision this version of Townhall needs."""


# Any fixed number: PostgreSQL advisory locks are keyed by a 64-bit integer per database.
MIGRATION_LOCK_KEY = 0x70776E68616C6C


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent). One migration at a time: on
    PostgreSQL under an advisory lock, on SQLite under a lock file beside the database, so
    processes started together never race to migrate."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with _migration_lock(engine), engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def schema_revisions(engine: Engine) -> tuple[str | None, str]:
    """(the database's revision or None when it has no schema, the newest this code knows)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current, str(head)


def require_current_schema(engine: Engine) -> None:
    """Raise SchemaOutOfDate (with what to do) unless the schema is at the newest revision."""
    current, head = schema_revisions(engine)
    if current != head:
        raise SchemaOutOfDate(
            f"The database schema is at revision {current or 'none'} but this version of "
            f"Townhall needs {head}. Run `townhall db upgrade` once, then start the workers."
        )


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    import fcntl

    with open(f"{database}.migrate.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
