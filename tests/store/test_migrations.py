"""Migrations: they build exactly what schema.py describes, run from the package, and reverse cleanly."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storyline.store import Store
from storyline.store.db import MIGRATIONS, alembic_config
from storyline.store.schema import include_object, metadata
from tests.store.samples import all_samples


def test_migrated_database_matches_the_metadata(store: Store) -> None:
    """Autogenerate finds nothing to change: schema.py and the migrations describe the same schema."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(context, metadata) == []


def test_full_text_objects_exist_but_are_ignored_by_the_comparison(store: Store) -> None:
    names = set(sa.inspect(store.engine).get_table_names())
    assert set(metadata.tables) <= names
    if store.engine.dialect.name == "sqlite":
        assert "articles_fts" in names
        assert not include_object(None, "articles_fts", "table", True, None)
        assert not include_object(None, "articles_fts_data", "table", True, None)
    elif store.engine.dialect.name == "postgresql":
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("articles")}
        assert "search_vector" in columns
    assert include_object(None, "articles", "table", True, None)


def test_opening_again_is_a_no_op(store_url: str) -> None:
    with Store(store_url) as store:
        store.upsert_many(all_samples())
        before = store.counts()
        store.migrate()
        assert store.counts() == before
        assert store.revision() == Store.head()


def test_downgrade_to_base_and_upgrade_again(store: Store) -> None:
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    remaining = set(sa.inspect(store.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    assert store.revision() is None
    store.migrate()
    assert store.revision() == Store.head() == "0004_story_items"
    store.upsert_many(all_samples())
    assert store.search("Minniti")[0].id == "milan-2016-12-23"


def test_migrations_ship_inside_the_package() -> None:
    """No alembic.ini at the repository root: the script location is the package's own folder."""
    assert MIGRATIONS.parent.name == "store"
    assert (MIGRATIONS / "env.py").is_file()
    assert list((MIGRATIONS / "versions").glob("0001_initial.py"))
    assert Store.head() == "0004_story_items"
    assert alembic_config().get_main_option("script_location") == str(MIGRATIONS)


def test_offline_sql_includes_the_full_text_index() -> None:
    """``--sql`` mode works too (for DBAs who apply migrations by hand)."""
    config = alembic_config(url="sqlite://")
    buffer = io.StringIO()
    config.output_buffer = buffer
    command.upgrade(config, "head", sql=True)
    sql = buffer.getvalue()
    assert "CREATE TABLE articles" in sql
    assert "CREATE VIRTUAL TABLE articles_fts USING fts5" in sql


def test_offline_postgresql_sql_has_the_tsvector_index() -> None:
    """The PostgreSQL branch, as far as it can be checked without a server: the DDL it emits."""
    config = alembic_config(url="postgresql+psycopg://user@localhost/storyline")
    buffer = io.StringIO()
    config.output_buffer = buffer
    command.upgrade(config, "head", sql=True)
    sql = buffer.getvalue()
    assert "search_vector tsvector GENERATED ALWAYS AS" in sql
    assert "USING gin (search_vector)" in sql
    assert "data JSONB NOT NULL" in sql
    assert '"end" INTEGER NOT NULL' in sql
    assert "fts5" not in sql


def test_concurrent_first_opens_take_turns(tmp_path: Path) -> None:
    """Two processes (here threads) opening a new database at once: one migrates, the other waits."""
    url = f"sqlite:///{tmp_path / 'race.db'}"

    def open_and_store(i: int) -> str:
        with Store(url) as store:
            return store.upsert(all_samples()[i])

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(open_and_store, range(3)))
    assert results == ["stored"] * 3
    with Store(url) as store:
        assert store.count("articles") == 3
