"""Stories in the store: records and memberships, the clustering's state, the keeper an ingest drives.

Every test runs on a SQLite file, in-memory SQLite and (with ``STORYLINE_TEST_PG``) PostgreSQL, like the
other store tests. The keeper's tests use the real clustering and story building over the hand-built
samples (tests/store/samples.py); the ingest of the Wikinews sample is in test_ingest_stories.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.model import (
    Analysis,
    BriefSentence,
    Figure,
    Quantity,
    SourceReport,
    SourceSpan,
    Span,
    Story,
    StoryArticle,
    StoryEvent,
)
from storyline.store import Store
from storyline.store.stories import StoryKeeper, figures_text, quantity_text
from tests.store.conftest import PG_ENV, _reset_postgresql
from tests.store.samples import all_samples, berlin, milan


@pytest.fixture(
    params=[
        "sqlite-file",
        "sqlite-memory",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"set {PG_ENV} to a PostgreSQL URL"),
        ),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store on each backend, as tests/store/conftest.py makes them."""
    kind: str = request.param
    url = {"sqlite-file": f"sqlite:///{tmp_path / 'stories.db'}", "sqlite-memory": "sqlite://"}.get(kind)
    if url is None:
        url = os.environ[PG_ENV]
        _reset_postgresql(url)
    try:
        with Store(url) as opened:
            yield opened
    finally:
        if kind == "postgresql":
            _reset_postgresql(url)


def story_record(story_id: str = "s-berlin", score: float = 0.9) -> Story:
    """A hand-made ``storyline.story/1`` record over the Berlin and Milan samples."""
    return Story(
        id=story_id,
        title="Berlin Christmas market attack",
        articles=[
            StoryArticle(article="berlin-2016-12-19", score=1.0, published="2016-12-19", source="Reuters"),
            StoryArticle(article="milan-2016-12-23", score=score, published="2016-12-23", source="CNN"),
        ],
        events=[
            StoryEvent(
                id=f"{story_id}:v1",
                type="ASSAULT",
                status="occurred",
                label="truck drove into a Christmas market",
                when="2016-12-19",
                granularity="day",
                killed=Figure(latest=12, low=12, high=12, sources=2),
                reports=[
                    SourceReport(
                        article="berlin-2016-12-19",
                        event="v1",
                        source="Reuters",
                        published="2016-12-19",
                        killed=Quantity(value=12, low=12, high=12, text="killing 12"),
                    ),
                    SourceReport(
                        article="milan-2016-12-23",
                        event="v2",
                        source="CNN",
                        published="2016-12-23",
                        killed=Quantity(low=12, text="at least 12"),
                    ),
                ],
            )
        ],
        brief=[
            BriefSentence(
                text="A truck drove into a Christmas market in Berlin.",
                sources=[SourceSpan(article="berlin-2016-12-19", span=Span(start=0, end=5, text="A tru"))],
            )
        ],
    )


def test_put_story_is_an_idempotent_upsert(store: Store) -> None:
    store.upsert_many(all_samples())
    record = story_record()
    assert store.put_story(record) == "stored"
    assert store.get_story("s-berlin") == record
    first = store.list_stories(min_articles=1)
    assert store.put_story(record) == "unchanged"
    assert store.list_stories(min_articles=1) == first  # updated_at kept: nothing was written
    assert store.put_story(story_record(score=0.5)) == "updated"
    assert store.count("story_articles") == 2
    row = store.list_stories(min_articles=2)[0]
    assert (row.id, row.n_articles, row.first_published, row.last_published) == (
        "s-berlin",
        2,
        "2016-12-19",
        "2016-12-23",
    )
    assert store.list_stories(min_articles=3) == []
    assert store.get_story("nope") is None
    assert store.delete_story("s-berlin") and not store.delete_story("s-berlin")
    assert store.count("stories") == 0 and store.count("story_articles") == 0
    assert store.count("articles") == len(all_samples())  # a story's articles stay


def test_deleting_an_article_leaves_its_story_without_it(store: Store) -> None:
    store.upsert_many(all_samples())
    store.put_story(story_record())
    store.delete("milan-2016-12-23")
    assert store.list_stories(min_articles=1)[0].n_articles == 1


def test_state_round_trip_and_clear(store: Store) -> None:
    assert store.story_state() is None
    store.save_story_state({"version": 1, "items": ["é", 1.5]})
    store.save_story_state({"version": 1, "items": []})  # replaces
    assert store.story_state() == {"version": 1, "items": []}
    store.upsert_many(all_samples())
    store.put_story(story_record())
    store.clear_stories()
    assert store.story_state() is None and store.count("stories") == 0
    assert store.count("articles") == len(all_samples())


def test_keeper_clusters_builds_and_persists(store: Store) -> None:
    samples = all_samples()
    with store.batch():
        store.upsert_many(samples)
        keeper = StoryKeeper(store)
        changes = keeper.update(samples)
    assert changes.clustered == len(samples)
    assignments = keeper.index.assignments()
    assert set(assignments) == {a.article.id for a in samples}
    stored = {row.id for row in store.list_stories(min_articles=1)}
    assert stored == {a.story for a in assignments.values()}
    for story_id in stored:
        record = store.get_story(story_id)
        assert record is not None and record.id == story_id
        assert {a.article for a in record.articles} == set(keeper.index.members(story_id))
        assert all(0.0 <= a.score <= 1.0 for a in record.articles)
    # A second keeper continues from the saved state; the same analyses again change nothing.
    again = StoryKeeper(store)
    assert again.index.assignments() == assignments
    before = store.list_stories(min_articles=1)
    assert again.update(samples).clustered == 0
    assert store.list_stories(min_articles=1) == before


def test_keeper_rolls_back_with_the_batch(store: Store) -> None:
    keeper = StoryKeeper(store)
    store.upsert(berlin())
    keeper.update([berlin()])
    try:
        with store.batch():
            store.upsert(milan())
            keeper.update([milan()])
            raise RuntimeError("the batch fails after the stories were written")
    except RuntimeError:
        keeper.rollback()
    assert set(keeper.index.assignments()) == {"berlin-2016-12-19"}
    assert store.count("articles") == 1
    assert StoryKeeper(store).index.assignments() == keeper.index.assignments()
    # Redone, the record goes in as if the failure had never happened.
    store.upsert(milan())
    keeper.update([milan()])
    assert set(keeper.index.assignments()) == {"berlin-2016-12-19", "milan-2016-12-23"}


def test_rebuild_reclusters_the_store(store: Store) -> None:
    samples = all_samples()
    store.upsert_many(samples)
    store.put_story(story_record("s-stale"))  # a story no clustering made: gone after the rebuild
    changes = StoryKeeper(store).rebuild()
    assert changes.clustered == len(samples)
    ids = {row.id for row in store.list_stories(min_articles=1)}
    assert "s-stale" not in ids and ids == set(changes.written)
    assert sum(row.n_articles for row in store.list_stories(min_articles=1)) == len(samples)
    state = store.story_state()
    assert state is not None
    again = StoryKeeper(store).rebuild()
    assert sorted(again.written) == sorted(changes.written)


def test_figures_per_source() -> None:
    event = story_record().events[0]
    assert figures_text(event, "killed") == "12 (Reuters 2016-12-19), at least 12 (CNN 2016-12-23)"
    assert figures_text(event, "injured") == ""
    assert quantity_text(Quantity(high=100, text="up to 100")) == "up to 100"
    assert quantity_text(Quantity(low=3, high=5, text="three to five")) == "3-5"


def test_catch_up_clusters_what_an_ingest_without_stories_stored(store: Store) -> None:
    samples = all_samples()
    store.upsert(samples[0])
    keeper = StoryKeeper(store)
    keeper.update(samples[:1])
    store.upsert_many(samples[1:])  # as `storyline ingest --no-stories` would
    again = StoryKeeper(store)
    assert again.catch_up(chunk=2) == len(samples) - 1
    assert set(again.index.assignments()) == {a.article.id for a in samples}
    assert sum(r.n_articles for r in store.list_stories(min_articles=1)) == len(samples)
    assert StoryKeeper(store).catch_up() == 0


def test_items_are_saved_one_row_per_article_apart_from_the_state(store: Store) -> None:
    samples = all_samples()
    store.upsert_many(samples)
    keeper = StoryKeeper(store)
    keeper.update(samples[:2])
    state = store.story_state()
    assert state is not None and "items" not in state and state["version"] == 2
    assert [item["article"] for item in store.story_items()] == [a.article.id for a in samples[:2]]
    keeper.update(samples[2:])
    assert store.count("story_items") == len(samples)
    assert keeper.index.unsaved_items() == []
    assert StoryKeeper(store).index.assignments() == keeper.index.assignments()


def test_a_state_with_its_items_inside_moves_them_to_rows(store: Store) -> None:
    """A store clustered before migration 0004 saved every item inside the state (version 1)."""
    from storyline.stories import StoryIndex

    samples = all_samples()
    store.upsert_many(samples)
    index = StoryIndex()
    for analysis in samples:
        index.add(analysis)
    old = index.to_state()
    old["version"] = 1
    store.save_story_state(old)
    keeper = StoryKeeper(store)
    assert keeper.index.assignments() == index.assignments()
    with store.batch():
        keeper.save()
    state = store.story_state()
    assert state is not None and "items" not in state
    assert [item["article"] for item in store.story_items()] == [a.article.id for a in samples]
    assert StoryKeeper(store).index.assignments() == index.assignments()


def test_an_item_no_story_holds_is_clustered_again(store: Store) -> None:
    """Two ingests at once: each saves its items, the last state wins; the other's articles are
    caught up by the next ingest instead of breaking it."""
    samples = all_samples()
    store.upsert_many(samples)
    first, second = StoryKeeper(store), StoryKeeper(store)
    first.update(samples[:1])
    second.update(samples[1:])  # its state replaces the first's; both keepers' item rows remain
    assert store.count("story_items") == len(samples)
    again = StoryKeeper(store)
    assert set(again.index.assignments()) == {a.article.id for a in samples[1:]}
    assert again.catch_up() == 1
    assert set(again.index.assignments()) == {a.article.id for a in samples}


def test_a_growing_story_is_rebuilt_without_re_reading_its_articles(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = all_samples()
    store.upsert_many(samples)
    keeper = StoryKeeper(store)
    keeper.update(samples[:1])
    reads: list[str] = []
    stored = store.get_analysis

    def spy(article_id: str) -> Analysis | None:
        reads.append(article_id)
        return stored(article_id)

    monkeypatch.setattr(store, "get_analysis", spy)
    keeper.update(samples[1:])
    assert reads == []  # the first batch's analysis is still in the keeper's recent ones
    # A new keeper (a later ingest) reads what it needs from the store.
    later = StoryKeeper(store)
    later.rebuild()
    assert sorted(set(reads)) == sorted(a.article.id for a in samples)
