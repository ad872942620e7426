"""Batched commits: N records per transaction with their progress; crash-safe; failures redone one by one.

A stand-in analyser (no spaCy) keeps these fast: what is tested is the bookkeeping, not the analysis.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from storyline.errors import StorylineError
from storyline.scale.ingest import IngestOptions, run_ingest
from storyline.store import Store
from storyline.store.progress import Ledger
from tests.scale.fake_ingest import bare
from tests.scale.support import ROOT, sample_records, snapshot, write_jsonl


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """30 articles, then a file whose one article duplicates the first (a source of the kept one)."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", sample_records(30))
    first = dict(sample_records(1)[0], id="copy-of-first", url="https://mirror.example/first")
    write_jsonl(folder / "b.jsonl", [first])
    return folder


def ingest(inputs: Path, db: Path, commit_every: int) -> tuple[dict[str, int], int]:
    options = IngestOptions(commit_every=commit_every)
    report = run_ingest([inputs], f"sqlite:///{db}", options, analyser=bare())
    return dict(report.tally), report.commits


def test_batched_commits_store_what_one_record_per_commit_stores(inputs: Path, tmp_path: Path) -> None:
    one_tally, one_commits = ingest(inputs, tmp_path / "one.db", commit_every=1)
    tally, commits = ingest(inputs, tmp_path / "batched.db", commit_every=8)
    assert tally == one_tally
    assert tally["stored"] == 30 and tally["duplicate"] == 1  # found inside one uncommitted batch
    # 30 + 1 records and 2 file ends: 33 outcomes, in transactions of 8 (the last one partial).
    assert one_commits == 33 and commits == 5
    assert snapshot(tmp_path / "batched.db") == snapshot(tmp_path / "one.db")


def test_a_buffer_older_than_commit_seconds_is_committed(inputs: Path, tmp_path: Path) -> None:
    options = IngestOptions(commit_every=1000, commit_seconds=0.0)  # every outcome is already old
    report = run_ingest([inputs], f"sqlite:///{tmp_path / 'timed.db'}", options, analyser=bare())
    assert report.commits == 33


def test_kill_9_with_a_partly_filled_buffer_then_rerun_equals_a_clean_run(
    inputs: Path, tmp_path: Path
) -> None:
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    ingest(inputs, clean, commit_every=5)
    command = [
        sys.executable,
        "-m",
        "tests.scale.fake_ingest",
        str(inputs),
        str(killed),
        "--commit-every",
        "5",
    ]
    process = subprocess.Popen(
        [*command, "--delay", "0.05"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and process.poll() is None and committed < 10:
        try:
            with sqlite3.connect(killed) as conn:
                committed = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            committed = 0  # not created or not migrated yet
        time.sleep(0.01)
    time.sleep(0.12)  # two or three more analyses: in the buffer, not committed
    assert process.poll() is None, "the ingest finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    with sqlite3.connect(killed) as conn:
        (stored,) = conn.execute("SELECT count(*) FROM articles").fetchone()
        (done,) = conn.execute("SELECT records_done FROM ingest_progress").fetchone()
    # Only whole batches are committed, each with its progress: the buffered outcomes are lost.
    assert 10 <= stored < 30 and stored % 5 == 0 and done == stored

    rerun = subprocess.run([*command], cwd=ROOT, check=False, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert snapshot(killed) == snapshot(clean)


def test_a_failed_batch_is_redone_record_by_record(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_tally, _ = ingest(inputs, tmp_path / "clean.db", commit_every=8)
    original = Ledger.add_fingerprint
    calls = {"n": 0}

    def flaky(self: Ledger, article_id: str, content_hash: str, minhash: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # as PostgreSQL reports a concurrent writer's insert of the same row
            raise sa.exc.IntegrityError("INSERT", {}, Exception("duplicate key"))
        original(self, article_id, content_hash, minhash)

    monkeypatch.setattr(Ledger, "add_fingerprint", flaky)
    report = run_ingest(
        [inputs], f"sqlite:///{tmp_path / 'flaky.db'}", IngestOptions(commit_every=8), analyser=bare()
    )
    assert report.batch_retries == 1
    assert dict(report.tally) == clean_tally  # the rolled-back batch is not counted twice
    assert snapshot(tmp_path / "flaky.db") == snapshot(tmp_path / "clean.db")


def test_a_record_that_cannot_be_committed_stops_the_ingest_and_a_rerun_resumes(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(inputs, tmp_path / "clean.db", commit_every=8)
    original = Ledger.add_fingerprint
    bad_id = sample_records(12)[11]["id"]

    def broken(self: Ledger, article_id: str, content_hash: str, minhash: bytes) -> None:
        if article_id == bad_id:
            raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))
        original(self, article_id, content_hash, minhash)

    db = tmp_path / "broken.db"
    with monkeypatch.context() as patch:
        patch.setattr(Ledger, "add_fingerprint", broken)
        with pytest.raises(StorylineError) as info:
            run_ingest([inputs], f"sqlite:///{db}", IngestOptions(commit_every=8), analyser=bare())
    assert info.value.code == "E130"
    with sqlite3.connect(db) as conn:
        # The first batch (records 0-7) and the records of the failed batch before the bad one.
        assert conn.execute("SELECT records_done FROM ingest_progress").fetchone() == (11,)
    run_ingest([inputs], f"sqlite:///{db}", IngestOptions(commit_every=8), analyser=bare())
    assert snapshot(db) == snapshot(tmp_path / "clean.db")


@pytest.mark.skipif(
    not os.environ.get("STORYLINE_TEST_PG"), reason="set STORYLINE_TEST_PG to a PostgreSQL URL"
)
def test_concurrent_ingests_of_the_same_articles_into_postgresql(inputs: Path, tmp_path: Path) -> None:
    """Two writers insert the same articles at once: batches that collide are redone record by record."""
    from tests.store.conftest import _reset_postgresql

    url = os.environ["STORYLINE_TEST_PG"]
    copy = tmp_path / "copy"
    shutil.copytree(inputs, copy)  # other paths: other inputs, the same articles
    _reset_postgresql(url)
    try:
        with Store(url):
            pass  # migrate once, before the race
        # Processes, not threads: language identification (langdetect) is not thread-safe.
        command = [sys.executable, "-m", "tests.scale.fake_ingest", "--commit-every", "8", "--delay", "0.002"]
        runs = [
            subprocess.Popen([*command, str(folder), url], cwd=ROOT, stdout=subprocess.PIPE, text=True)
            for folder in (inputs, copy)
        ]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        with Store(url) as store:
            assert store.count("articles") == 30
            assert store.count("article_sources") == 31
            assert store.count("article_fingerprints") == 30
            assert store.count("ingest_progress") == 4
            for record in sample_records(30):
                analysis = store.get_analysis(record["id"])
                assert analysis is not None and analysis.article.text == record["text"]
    finally:
        _reset_postgresql(url)
