"""Store.batch: many writes in one transaction, visible to reads inside it, all or nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from storyline.store import Store
from storyline.store.progress import InputFile, Ledger
from tests.store.samples import berlin, milan, paris


def _input(tmp_path: Path) -> InputFile:
    path = tmp_path / "input.jsonl"
    path.write_text("{}\n", encoding="utf-8")
    return InputFile.of(path)


def test_batch_commits_every_write_at_its_end_and_reads_see_them(store: Store, tmp_path: Path) -> None:
    ledger = Ledger(store)
    item = _input(tmp_path)
    with store.batch():
        assert store.upsert(berlin()) == "stored"
        # Reads inside the batch see its uncommitted rows: the ledger, the store, a second upsert.
        assert ledger.article_exists(berlin().article.id)
        assert store.get_analysis(berlin().article.id) == berlin()
        assert store.upsert(berlin()) == "unchanged"
        assert ledger.add_source(berlin().article.id, "https://a.example/1", None, "input@record 0")
        assert not ledger.add_source(berlin().article.id, "https://a.example/1", None, "input@record 0")
        ledger.add_fingerprint(berlin().article.id, "hash", b"\0" * 8)
        ledger.advance(item, 1)
        assert ledger.records_done(item) == (1, "running")
        assert store.upsert(milan()) == "stored"
    assert store.count("articles") == 2
    assert store.count("article_sources") == 1
    assert ledger.records_done(item) == (1, "running")


def test_a_failing_batch_leaves_nothing_behind(store: Store, tmp_path: Path) -> None:
    ledger = Ledger(store)
    item = _input(tmp_path)
    store.upsert(paris())
    with pytest.raises(RuntimeError), store.batch():
        store.upsert(berlin())
        ledger.add_source(berlin().article.id, "https://a.example/1", None, "input@record 0")
        ledger.advance(item, 1)
        store.delete(paris().article.id)
        raise RuntimeError("crash in the middle of a batch")
    assert store.count("articles") == 1
    assert store.get_analysis(paris().article.id) == paris()
    assert store.count("article_sources") == 0
    assert ledger.records_done(item) == (0, None)
    # The store is usable afterwards, in and out of batches.
    with store.batch():
        store.upsert(berlin())
    assert store.count("articles") == 2


def test_nested_batches_are_one_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError), store.batch():
        with store.batch():
            store.upsert(berlin())
        assert store.count("articles") == 1  # the inner block did not commit on its own
        raise RuntimeError("roll back both")
    assert store.count("articles") == 0


def test_other_connections_see_a_batch_only_once_committed(store_url: str) -> None:
    if store_url == "sqlite://":
        pytest.skip("in-memory SQLite has one connection: nothing else to look from")
    with Store(store_url) as writer, Store(store_url) as reader:
        with writer.batch():
            writer.upsert(berlin())
            assert reader.count("articles") == 0
        assert reader.count("articles") == 1


def test_a_batch_belongs_to_its_thread(store_url: str) -> None:
    """Another thread writing meanwhile uses its own transaction, not the open batch."""
    if store_url == "sqlite://":
        pytest.skip("in-memory SQLite has one connection shared by every thread")
    with Store(store_url) as store:
        seen: list[int] = []
        with store.batch():
            store.upsert(berlin())
            # A reader thread must not see the batch's rows (it would through the batch connection).
            thread = threading.Thread(target=lambda: seen.append(store.count("articles")))
            thread.start()
            thread.join()
        assert seen == [0]
        assert store.count("articles") == 1
