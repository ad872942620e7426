"""Fixtures of the API tests: an app over a store of the hand-built samples (tests/store/samples.py).

The samples have every stage filled (places, claims, events), so the queries are tested on data
whose answers are known, independent of what the NLP stages find today. One story links the Berlin
and Milan articles, as the stories stage would.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.api import create_app
from storyline.model import Analysis, Article
from storyline.store import Store
from storyline.store.schema import stories, story_articles
from tests.store.conftest import PG_ENV, _reset_postgresql
from tests.store.samples import all_samples

STORY_ID = "story-berlin-attack"


def no_analysis(_article: Article) -> Analysis:
    raise AssertionError("this test must not run the pipeline")


def add_story(store: Store) -> None:
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        conn.execute(
            stories.insert(),
            {
                "id": STORY_ID,
                "title": "Berlin Christmas market attack",
                "created_at": now,
                "updated_at": now,
                "data": {"summary": "A truck attack in Berlin; the suspect killed near Milan."},
            },
        )
        conn.execute(
            story_articles.insert(),
            [
                {"story_id": STORY_ID, "article_id": "berlin-2016-12-19", "score": 1.0},
                {"story_id": STORY_ID, "article_id": "milan-2016-12-23", "score": 0.9},
            ],
        )


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"set {PG_ENV} to a PostgreSQL URL"),
        ),
    ]
)
def sample_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The samples and one story, on SQLite and (when ``STORYLINE_TEST_PG`` is set) on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'api.db'}"
    else:
        url = os.environ[PG_ENV]
        _reset_postgresql(url)
    try:
        with Store(url) as store:
            for analysis in all_samples():
                store.upsert(analysis)
            add_story(store)
            yield store
    finally:
        if request.param == "postgresql":
            _reset_postgresql(url)


@pytest.fixture
def client(sample_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store=sample_store, analyzer=no_analysis), raise_server_exceptions=False) as c:
        yield c
