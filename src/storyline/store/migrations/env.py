"""Alembic environment of the Storyline store.

Why it prefers a connection handed in through ``config.attributes["connection"]``: ``Store.migrate``
runs the upgrade inside its own (on SQLite: ``BEGIN IMMEDIATE``) transaction on its own engine, so
two processes opening a fresh database at once take turns instead of both creating the tables, and an
in-memory SQLite database is migrated on the very connection the store goes on using. The URL
fallback serves ad-hoc use (``alembic_config(url=...)`` with the ``alembic`` command API).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from storyline.store.schema import include_object, metadata

config = context.config


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        # SQLite cannot ALTER most things; batch mode lets later revisions recreate tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit the SQL of the migrations (``--sql`` mode) without a database."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        include_object=include_object,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _configure_and_run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("storyline migrations need a connection or a sqlalchemy.url")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _configure_and_run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
