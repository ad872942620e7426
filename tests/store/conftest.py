"""Database fixtures: every store test runs on each backend ``store_url`` names.

Why a parametrised URL rather than a Store built per test file: the same assertions must hold on a
SQLite file (WAL, separate connections per query), on in-memory SQLite (one shared connection) and on
PostgreSQL. PostgreSQL runs only when ``STORYLINE_TEST_PG`` holds a URL of a throw-away database
(e.g. ``postgresql+psycopg://root@/storyline_test``); every table in it is dropped before and after
each test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from storyline.store import Store

PG_ENV = "STORYLINE_TEST_PG"

#: Empties the throw-away database whatever the migrations created in it (tables, the generated search
#: column, indexes, later revisions' tables), so a new migration needs no change here. Constant SQL.
_PG_RESET = ("DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public")


def _reset_postgresql(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in _PG_RESET:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


@pytest.fixture(
    params=[
        "sqlite-file",
        "sqlite-memory",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not os.environ.get(PG_ENV), reason=f"set {PG_ENV} to a PostgreSQL URL to run these"
            ),
        ),
    ]
)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of the parametrised kind."""
    kind: str = request.param
    if kind == "sqlite-file":
        yield f"sqlite:///{tmp_path / 'storyline.db'}"
    elif kind == "sqlite-memory":
        yield "sqlite://"
    else:
        url = os.environ[PG_ENV]
        _reset_postgresql(url)
        yield url
        _reset_postgresql(url)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened


@pytest.fixture
def sqlite_file_url(tmp_path: Path) -> str:
    """For the few tests that are about SQLite itself (FTS5 internals, reopening a file)."""
    return f"sqlite:///{tmp_path / 'storyline.db'}"
