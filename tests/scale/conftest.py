"""Fixtures of the scale tests: a WARC of real sample articles with junk, duplicates and a French page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scale.support import build_warc, sample_records, syndicated

#: Stages the scale tests run: quick to load and run, and enough to make analyses non-trivial (spaCy's
#: NER, the entity cascade, coreference). What is tested is that engines agree, not what stages find.
STAGES = ("entities",)


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    """A folder with one WARC: 4 articles, junk records, a French page, a syndicated copy, an exact copy."""
    records = sample_records(4)
    folder = tmp_path / "crawl"
    folder.mkdir()
    extra = (
        ("https://wire.example/copy-of-0", records[0]["title"], syndicated(records[0])),
        ("https://mirror.example/copy-of-2", records[2]["title"], records[2]["text"]),
    )
    build_warc(folder / "crawl-00000.warc.gz", records, extra=extra)
    return folder
