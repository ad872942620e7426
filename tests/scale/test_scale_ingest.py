"""Resumable, deduplicating ingest: WARC in, analyses stored once with every url; local and Ray agree."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.scale.ingest import IngestOptions, run_ingest
from storyline.store import Store
from storyline.store.db import canonical_json
from tests.scale.conftest import STAGES
from tests.scale.support import build_warc, sample_records, snapshot, syndicated, write_jsonl

pytestmark = pytest.mark.slow


def _options(**kwargs: object) -> IngestOptions:
    return IngestOptions(stages=STAGES, batch_size=2, **kwargs)  # type: ignore[arg-type]


def stored(url: str) -> dict[str, str]:
    """Every stored analysis, as canonical JSON by article id."""
    with Store(url) as store:
        ids = [row[0] for row in store.engine.connect().exec_driver_sql("SELECT id FROM articles")]
        return {i: canonical_json(store.get_analysis(i)) for i in ids}  # type: ignore[arg-type]


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def test_warc_ingest_stores_each_article_once_with_every_url(crawl: Path, tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    report = run_ingest([crawl], f"sqlite:///{db}", _options())
    tally = report.tally
    assert tally["stored"] == 4
    assert tally["duplicate"] == 2  # the syndicated copy (near) and the mirror (exact)
    assert tally["skipped: language fr"] == 1
    assert {p.code for p in report.problems} == {"E005", "E120", "E122"}
    records = sample_records(4)
    sources = rows(db, "SELECT article_id, url, match FROM article_sources ORDER BY url")
    by_article: dict[object, list[object]] = {}
    for article_id, url, _ in sources:
        by_article.setdefault(article_id, []).append(url)
    assert len(by_article) == 4
    assert sorted(len(urls) for urls in by_article.values()) == [1, 1, 2, 2]
    assert {m for _, _, m in sources} == {"self", "near", "exact"}
    assert rows(db, "SELECT count(*) FROM article_fingerprints") == [(4,)]
    (progress,) = rows(db, "SELECT status FROM ingest_progress")
    assert progress == ("done",)
    problems = rows(db, "SELECT code FROM ingest_problems ORDER BY record")
    assert sorted(c for (c,) in problems) == ["E005", "E120", "E122", "E122"]
    titles = {t for (t,) in rows(db, "SELECT title FROM articles")}
    assert titles == {r["title"] for r in records}

    # Running again changes nothing and reads nothing.
    again = run_ingest([crawl], f"sqlite:///{db}", _options())
    assert again.tally["stored"] == 0 and again.tally["inputs already done"] == 1


def test_two_workers_store_the_same_as_one(crawl: Path, tmp_path: Path) -> None:
    run_ingest([crawl], f"sqlite:///{tmp_path / 'one.db'}", _options(workers=1))
    run_ingest([crawl], f"sqlite:///{tmp_path / 'two.db'}", _options(workers=2))
    one = stored(f"sqlite:///{tmp_path / 'one.db'}")
    assert len(one) == 4
    assert stored(f"sqlite:///{tmp_path / 'two.db'}") == one


def test_ray_engine_stores_the_same_as_local(crawl: Path, tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    local_url = f"sqlite:///{tmp_path / 'local.db'}"
    ray_url = f"sqlite:///{tmp_path / 'ray.db'}"
    local = run_ingest([crawl], local_url, _options())
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=200 * 1024**2)
    try:
        remote = run_ingest([crawl], ray_url, _options(engine="ray", workers=2))
    finally:
        ray.shutdown()
    assert remote.tally == local.tally
    assert stored(ray_url) == stored(local_url)
    query = "SELECT article_id, url, match FROM article_sources ORDER BY url"
    assert rows(tmp_path / "ray.db", query) == rows(tmp_path / "local.db", query)
    # The driver clusters in input order whatever the engine: the same stories.
    stories = "SELECT story_id, article_id, score FROM story_articles ORDER BY article_id"
    assert rows(tmp_path / "ray.db", stories) == rows(tmp_path / "local.db", stories)


class Crash(Exception):
    """Stands for a kill: raised from the progress callback, it ends an ingest with outcomes unbuffered."""


def shards(folder: Path) -> Path:
    """Three shards with duplicates inside one shard and across shards, junk, and a French page."""
    records = sample_records(8)
    folder.mkdir()
    build_warc(folder / "crawl-00000.warc.gz", records[0:3])
    extra = (
        ("https://wire.example/copy-of-0", records[0]["title"], syndicated(records[0])),  # near, shard 0
        ("https://mirror.example/copy-of-4", records[4]["title"], records[4]["text"]),  # exact, this shard
    )
    build_warc(folder / "crawl-00001.warc.gz", records[3:6], junk=False, extra=extra)
    copy = dict(records[1], id="copy-of-1", url="https://copies.example/1")  # exact, shard 0
    write_jsonl(folder / "crawl-00002.jsonl", [records[6], copy, records[7]])
    return folder


def test_ray_reads_shards_and_resumes_like_local(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    folder = shards(tmp_path / "shards")
    inputs = [folder, tmp_path / "missing.warc"]
    local_db, ray_db, resumed_db = tmp_path / "local.db", tmp_path / "ray.db", tmp_path / "resumed.db"
    local = run_ingest(inputs, f"sqlite:///{local_db}", _options(commit_every=3))
    assert local.tally["stored"] == 8 and local.tally["duplicate"] == 3

    def crash_after_ten(report: object) -> None:
        nonlocal seen
        seen += 1
        if seen == 10:
            raise Crash

    seen = 0
    with pytest.raises(Crash):  # a local run dies in the middle of shard 1, its buffer lost
        run_ingest(inputs, f"sqlite:///{resumed_db}", _options(commit_every=3), crash_after_ten)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=200 * 1024**2)
    try:
        remote = run_ingest(inputs, f"sqlite:///{ray_db}", _options(engine="ray", workers=2, commit_every=3))
        resumed = run_ingest(inputs, f"sqlite:///{resumed_db}", _options(engine="ray", workers=2))
    finally:
        ray.shutdown()
    assert remote.tally == local.tally
    assert [str(p) for p in remote.problems] == [str(p) for p in local.problems]
    # The near copy and the copy from another shard were analysed before the decision; the exact
    # copy within its shard was not.
    assert remote.speculative_waste == 2
    assert snapshot(ray_db) == snapshot(local_db)
    assert resumed.tally["records resumed past"] > 0 and resumed.tally["inputs already done"] == 1
    assert snapshot(resumed_db) == snapshot(local_db)


def _jsonl(path: Path, n: int) -> None:
    import json

    records = sample_records(n)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps({k: record[k] for k in ("id", "title", "published", "url", "text")}) + "\n")


def _ingest_command(inputs: Path, db: Path) -> list[str]:
    # One stage: fast, and the clean run and the resumed run must see the same code (other stages
    # are being edited while these tests run in a shared tree).
    return [
        sys.executable, "-m", "storyline", "ingest", str(inputs), "--db", f"sqlite:///{db}",
        "--stages", "entities", "--batch-size", "2", "--commit-every", "4",
    ]  # fmt: skip


def test_kill_9_in_the_middle_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _jsonl(inputs / "a.jsonl", 24)
    _jsonl(inputs / "b.jsonl", 1)  # the same first article again: a duplicate of a.jsonl's first
    clean_db, killed_db = tmp_path / "clean.db", tmp_path / "killed.db"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    subprocess.run(_ingest_command(inputs, clean_db), check=True, capture_output=True, env=env, timeout=600)

    process = subprocess.Popen(
        _ingest_command(inputs, killed_db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    deadline = time.monotonic() + 300
    stored_before_kill = 0
    while time.monotonic() < deadline and process.poll() is None:
        if killed_db.exists():
            try:
                stored_before_kill = rows(killed_db, "SELECT count(*) FROM articles")[0][0]  # type: ignore[assignment]
            except sqlite3.OperationalError:
                stored_before_kill = 0  # not migrated yet
            if stored_before_kill >= 6:
                break
        time.sleep(0.05)
    assert process.poll() is None, "the ingest finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 6 <= stored_before_kill < 24
    (done,) = rows(killed_db, "SELECT records_done FROM ingest_progress WHERE path LIKE '%a.jsonl'")[0]
    assert done < 24 and done % 4 == 0  # whole batches only, each with its progress
    assert rows(killed_db, "SELECT count(*) FROM articles") == [(done,)]

    rerun = subprocess.run(
        _ingest_command(inputs, killed_db), check=False, capture_output=True, env=env, timeout=600, text=True
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "records resumed past" in rerun.stdout

    for table in ("articles", "article_sources", "article_fingerprints", "entities", "mentions"):
        query = f"SELECT count(*) FROM {table}"
        assert rows(killed_db, query) == rows(clean_db, query), table
    assert rows(killed_db, "SELECT count(*) FROM articles")[0] == (24,)
    assert (
        rows(
            killed_db,
            "SELECT url, count(*) FROM article_sources GROUP BY url, article_id HAVING count(*) > 1",
        )
        == []
    )
    assert stored(f"sqlite:///{killed_db}") == stored(f"sqlite:///{clean_db}")
    assert rows(killed_db, "SELECT status FROM ingest_progress ORDER BY path") == [("done",), ("done",)]


@pytest.mark.skipif(
    not os.environ.get("STORYLINE_TEST_PG"), reason="set STORYLINE_TEST_PG to a PostgreSQL URL"
)
def test_ingest_into_postgresql(crawl: Path, tmp_path: Path) -> None:
    from tests.store.conftest import _reset_postgresql

    url = os.environ["STORYLINE_TEST_PG"]
    _reset_postgresql(url)
    try:
        report = run_ingest([crawl], url, _options())
        assert report.tally["stored"] == 4 and report.tally["duplicate"] == 2
        local = tmp_path / "local.db"
        run_ingest([crawl], f"sqlite:///{local}", _options())
        assert stored(url) == stored(f"sqlite:///{local}")
        with Store(url) as store:
            assert store.count("article_sources") == 6
            assert store.count("article_fingerprints") == 4
        again = run_ingest([crawl], url, _options())
        assert again.tally["inputs already done"] == 1
    finally:
        _reset_postgresql(url)
