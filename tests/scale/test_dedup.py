"""Near-duplicate detection: exact copies, syndicated copies, and no false alarms between real articles."""

from __future__ import annotations

import itertools

import pytest

from storyline.ingest import dedup
from storyline.ingest.language import detect_language
from tests.scale.support import FRENCH, sample_records, syndicated


def test_syndicated_copy_is_near_and_exact_copy_is_exact() -> None:
    records = sample_records(3)
    index = dedup.DedupIndex()
    for record in records:
        text = record["text"]
        index.add(record["id"], dedup.content_hash(text), dedup.minhash(text))
    copy = syndicated(records[0])
    match = index.find("other-url", dedup.content_hash(copy), dedup.minhash(copy))
    assert match is not None and match.article_id == records[0]["id"] and match.kind == "near"
    assert match.similarity >= dedup.DEFAULT_THRESHOLD
    rewrapped = "  " + records[1]["text"].replace("\n\n", "\n")
    exact = index.find("x", dedup.content_hash(rewrapped), dedup.minhash(rewrapped))
    assert exact == dedup.Match(records[1]["id"], "exact", 1.0)
    # An article never duplicates itself.
    own = records[2]["text"]
    assert index.find(records[2]["id"], dedup.content_hash(own), dedup.minhash(own)) is None


def test_distinct_articles_are_not_duplicates() -> None:
    records = sample_records(60)
    signatures = [dedup.minhash(r["text"]) for r in records]
    worst = max(dedup.jaccard(a, b) for a, b in itertools.combinations(signatures, 2))
    assert worst < 0.3


def test_signatures_are_stable_and_round_trip() -> None:
    text = sample_records(1)[0]["text"]
    signature = dedup.minhash(text)
    assert dedup.from_bytes(dedup.to_bytes(signature)).tolist() == signature.tolist()
    # Fixed across processes and versions: the first values of a known text.
    assert (
        dedup.minhash("one two three four five six seven").tolist()
        == dedup.minhash("ONE two  three four five six seven").tolist()
    )


def test_language() -> None:
    assert detect_language(sample_records(1)[0]["text"]) == "en"
    assert detect_language(FRENCH) == "fr"
    assert detect_language("Too short.") == "en"


def test_language_is_the_same_from_many_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first detections of a process may come from several threads at once (profiles load lazily)."""
    from concurrent.futures import ThreadPoolExecutor

    import langdetect.detector_factory

    from storyline.ingest import language

    texts = ([record["text"] for record in sample_records(20)] + [FRENCH] * 4) * 2
    serial = [detect_language(text) for text in texts]
    for _ in range(3):  # back to a fresh process's state: nothing loaded yet
        monkeypatch.setattr(langdetect.detector_factory, "_factory", None)
        monkeypatch.setattr(language, "_ready", False)
        with ThreadPoolExecutor(max_workers=8) as pool:
            assert list(pool.map(detect_language, texts)) == serial
    assert serial.count("fr") == 8
