"""``storyline export``: options, output to a file or stdout, coded errors, streaming from a store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from storyline.cli import _register, app
from storyline.errors import Problem
from storyline.export import Selection, iter_stored
from storyline.store import Store
from storyline.store.schema import articles
from tests.export.helpers import read_csv, read_parquet
from tests.export.samples import dated, hostile
from tests.store.samples import berlin, milan, paris

_register()
runner = CliRunner()

#: As in tests/store/conftest.py: a throw-away PostgreSQL database, emptied before and after use.
PG_ENV = "STORYLINE_TEST_PG"


def _reset_postgresql(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with Store(url) as store:
        for analysis in (berlin(), milan(), paris(), hostile()):
            store.upsert(analysis)
    return url


def test_export_to_a_file(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["export", "--format", "acled", "--db", db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = read_csv(out.read_bytes())
    assert {r["event_id_cnty"] for r in rows} >= {"berlin-2016-12-19:v1", "milan-2016-12-23:v1"}
    assert not out.with_name("events.csv.part").exists()
    assert "acled:" in result.stderr


def test_export_to_stdout_with_a_type_filter(db: str) -> None:
    result = runner.invoke(app, ["export", "-f", "plover", "--db", db, "--type", "protest"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == 2  # the Paris march and the hostile sample's hypothetical protest
    assert all('"event": ["PROTEST"]' in line for line in lines)


def test_parquet_to_a_file_with_since(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    args = ["export", "-f", "parquet", "--db", db, "-o", str(out), "--since", "2016-12-20"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    uids = {row["event_uid"] for row in read_parquet(out.read_bytes())}
    assert "milan-2016-12-23:v1" in uids and "berlin-2016-12-19:v1" not in uids


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--format", "excel"], "E160"),
        (["--format", "acled", "--since", "yesterday"], "E161"),
        (["--format", "acled", "--type", "BOMBING"], "E162"),
    ],
)
def test_bad_options_fail_with_their_code(db: str, args: list[str], code: str) -> None:
    result = runner.invoke(app, ["export", "--db", db, *args])
    assert result.exit_code == 1
    assert f"[{code}]" in result.stderr


def test_an_unwritable_output_is_e164_and_leaves_nothing(db: str, tmp_path: Path) -> None:
    out = tmp_path / "missing-dir" / "events.csv"
    result = runner.invoke(app, ["export", "--format", "acled", "--db", db, "--out", str(out)])
    assert result.exit_code == 1
    assert "[E164]" in result.stderr
    assert not out.parent.exists()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not os.environ.get(PG_ENV), reason=f"set {PG_ENV} to a PostgreSQL URL to run these"
            ),
        ),
    ]
)
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A SQLite file, and the throw-away PostgreSQL database of tests/store when one is configured:
    keyset paging must hold under PostgreSQL's collation too."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'pages.db'}"
        return
    url = os.environ[PG_ENV]
    _reset_postgresql(url)
    yield url
    _reset_postgresql(url)


def test_the_store_is_read_in_pages_in_id_order(any_url: str) -> None:
    with Store(any_url) as store:
        for i in range(7):
            store.upsert(dated(f"a{i}", "2016-12-30", "2016-12-24", type_="PROTEST" if i % 3 else "ASSAULT"))
        ids = [item.analysis.article.id for item in iter_stored(store, page_size=2)]
        assert ids == [f"a{i}" for i in range(7)]
        selection = Selection(types=frozenset({"ASSAULT"}))
        assert [item.analysis.article.id for item in iter_stored(store, selection, page_size=2)] == [
            "a0",
            "a3",
            "a6",
        ]


def test_a_corrupt_stored_analysis_is_reported_and_skipped(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'bad.db'}") as store:
        store.upsert(berlin())
        store.upsert(milan())
        with store.engine.begin() as conn:
            conn.execute(
                sa.update(articles).where(articles.c.id == "berlin-2016-12-19").values(analysis='{"x": 1}')
            )
        problems: list[Problem] = []
        ids = [item.analysis.article.id for item in iter_stored(store, problems=problems)]
        assert ids == ["milan-2016-12-23"]
        assert [p.code for p in problems] == ["E165"]
        with pytest.raises(Problem):
            list(iter_stored(store))
