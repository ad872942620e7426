"""Fixtures of the stories tests: the Wikinews sample, analysed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from storyline.ingest.tabular import Record, read_records
from storyline.model import Analysis
from storyline.pipeline import analyze_many

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "articles.jsonl"


@pytest.fixture(scope="session")
def sample(nlp: Language) -> list[tuple[Record, Analysis]]:
    """The sample's records and their analyses (the session's pipeline)."""
    records = [r for r in read_records(SAMPLE) if isinstance(r, Record)]
    analyses = [a for a in analyze_many(nlp, (r.article for r in records)) if isinstance(a, Analysis)]
    assert len(analyses) == len(records) == 60
    return list(zip(records, analyses, strict=True))
