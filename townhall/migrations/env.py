"""Alembic environment: runs on the connection handed in by townhall.db.migrate, or on a URL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from townhall.db import import_all_tables, make_engine

import_all_tables()
target_metadata = SQLModel.metadata
config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
