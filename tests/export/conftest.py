"""Fixtures of the export tests: real articles analysed by the pipeline and stored in a SQLite file.

Why real text through the real pipeline and the real store: an export is only as good as what it
reads back out of a store that analyses were written to; hand-built analyses (samples.py) cover the
hostile and edge cases the pipeline may not produce today.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language

from storyline.model import Analysis
from storyline.store import Store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "articles.jsonl"
#: The seed article plus the first Wikinews articles of the sample: enough events of several types.
N_ARTICLES = 16


@pytest.fixture(scope="session")
def real_analyses(nlp: Language) -> list[Analysis]:
    from storyline.errors import Problem
    from storyline.ingest.base import make_article
    from storyline.pipeline import analyze_many

    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:N_ARTICLES]]
    articles = [
        make_article(
            text=r["text"],
            id=r.get("id"),
            published=r.get("published"),
            source=r.get("source"),
            title=r.get("title"),
            url=r.get("url"),
        )
        for r in records
    ]
    results = list(analyze_many(nlp, articles))
    assert not [r for r in results if isinstance(r, Problem)]
    return [r for r in results if isinstance(r, Analysis)]


@pytest.fixture
def real_store(real_analyses: list[Analysis], tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'export.db'}") as store:
        for analysis in real_analyses:
            store.upsert(analysis)
        yield store
