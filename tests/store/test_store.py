"""Store: idempotent upserts, atomic replacement, and the cross-article queries."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from storyline.errors import Problem, StorylineError
from storyline.model import Analysis, Article, Entity, Mention
from storyline.store import ArticleRow, EntityCount, PlaceCount, Store, resolve_url
from storyline.store import db as store_db
from storyline.store.schema import ARTICLE_CHILDREN, articles, entities, events, mentions
from tests.store.samples import BERLIN_TEXT, all_samples, berlin, milan, paris, span


def orphans(store: Store) -> int:
    """Rows of per-article tables whose parent is missing (must always be 0)."""
    total = 0
    with store.engine.connect() as conn:
        for child in ARTICLE_CHILDREN:
            stmt = (
                sa.select(sa.func.count())
                .select_from(child)
                .where(~sa.exists().where(articles.c.id == child.c.article_id))
            )
            total += conn.execute(stmt).scalar_one()
        stmt = (
            sa.select(sa.func.count())
            .select_from(mentions)
            .where(
                ~sa.exists().where(
                    entities.c.article_id == mentions.c.article_id,
                    entities.c.entity_id == mentions.c.entity_id,
                )
            )
        )
        total += conn.execute(stmt).scalar_one()
    return total


def timestamps(store: Store, article_id: str) -> tuple[Any, Any]:
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(articles.c.created_at, articles.c.updated_at).where(articles.c.id == article_id)
        ).one()
    return row.created_at, row.updated_at


# -- opening ------------------------------------------------------------------------------------


def test_url_comes_from_argument_then_env_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORYLINE_DB", raising=False)
    assert resolve_url() == "sqlite:///storyline.db"
    monkeypatch.setenv("STORYLINE_DB", "sqlite:///from-env.db")
    assert resolve_url() == "sqlite:///from-env.db"
    assert resolve_url("sqlite://") == "sqlite://"


def test_store_without_url_uses_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "env.db"
    monkeypatch.setenv("STORYLINE_DB", f"sqlite:///{path}")
    with Store() as store:
        assert store.upsert(berlin()) == "stored"
    assert path.exists()


def test_new_store_is_migrated_and_empty(store: Store) -> None:
    assert store.revision() == Store.head() == "0004_story_items"
    counts = store.counts()
    assert set(counts) == {
        "articles", "entities", "mentions", "places", "times", "claims", "events", "stories",
        "story_articles", "ingest_progress", "article_sources", "article_fingerprints", "ingest_problems",
        "story_state", "story_items",
    }  # fmt: skip
    assert all(n == 0 for n in counts.values())


def test_bad_url_is_a_storyline_error() -> None:
    with pytest.raises(StorylineError) as info:
        Store("not a url")
    assert info.value.code == "E040"


def test_unopenable_database_is_a_storyline_error(tmp_path: Path) -> None:
    with pytest.raises(StorylineError) as info:
        Store(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    assert info.value.code == "E040"


def test_database_from_a_newer_version_is_refused(sqlite_file_url: str) -> None:
    with Store(sqlite_file_url) as store, store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": "9999_future"})
    with pytest.raises(StorylineError) as info:
        Store(sqlite_file_url)
    assert info.value.code == "E044"


def test_sqlite_pragmas(sqlite_file_url: str) -> None:
    with Store(sqlite_file_url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_reopening_a_file_keeps_the_data(sqlite_file_url: str) -> None:
    with Store(sqlite_file_url) as store:
        store.upsert_many(all_samples())
        before = store.counts()
    with Store(sqlite_file_url) as store:
        assert store.counts() == before
        assert store.upsert(berlin()) == "unchanged"


# -- upsert -------------------------------------------------------------------------------------


def test_upsert_twice_changes_nothing(store: Store) -> None:
    assert store.upsert(berlin()) == "stored"
    counts = store.counts()
    stamps = timestamps(store, "berlin-2016-12-19")
    assert store.upsert(berlin()) == "unchanged"
    assert store.counts() == counts
    assert timestamps(store, "berlin-2016-12-19") == stamps
    assert counts["articles"] == 1
    assert counts["entities"] == 2
    assert counts["mentions"] == 3
    assert counts["places"] == counts["times"] == counts["events"] == 1
    assert counts["claims"] == 2


def test_upsert_many_counts_outcomes(store: Store) -> None:
    assert store.upsert_many(all_samples()) == Counter(stored=3)
    assert store.upsert_many(all_samples()) == Counter(unchanged=3)
    assert store.count("articles") == 3


def test_changed_analysis_replaces_all_child_rows(store: Store) -> None:
    store.upsert_many(all_samples())
    created, updated = timestamps(store, "berlin-2016-12-19")
    original = berlin()
    t = original.article.text
    # The next version of the analysis: Merkel dropped, a new entity, no claims, one event changed.
    changed = original.model_copy(
        update={
            "entities": [
                original.entities[0],
                Entity(id="e3", label="FAC", name="Christmas market", mentions=[_m(t, "Christmas market")]),
            ],
            "claims": [],
            "events": [original.events[0].model_copy(update={"type": "ACCIDENT", "status": "alleged"})],
        }
    )
    assert store.upsert(changed) == "updated"
    assert store.get_analysis("berlin-2016-12-19") == changed
    assert orphans(store) == 0
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(entities.c.entity_id, entities.c.name)
            .where(entities.c.article_id == "berlin-2016-12-19")
            .order_by(entities.c.entity_id)
        ).all()
        assert [tuple(r) for r in rows] == [("e1", "police"), ("e3", "Christmas market")]
        n_mentions = conn.execute(
            sa.select(sa.func.count())
            .select_from(mentions)
            .where(mentions.c.article_id == "berlin-2016-12-19")
        ).scalar_one()
        assert n_mentions == 2
        assert conn.execute(
            sa.select(events.c.type, events.c.status).where(events.c.article_id == "berlin-2016-12-19")
        ).one() == ("ACCIDENT", "alleged")
    # Other articles are untouched.
    assert store.get_analysis("milan-2016-12-23") == milan()
    assert store.count("articles") == 3
    assert store.count("claims") == 1  # milan's only
    new_created, new_updated = timestamps(store, "berlin-2016-12-19")
    assert new_created == created
    assert new_updated >= updated


def test_changed_article_text_is_updated(store: Store) -> None:
    store.upsert(paris())
    edited = paris().model_copy(
        update={"article": paris().article.model_copy(update={"title": "Pension reform: thousands march"})}
    )
    assert store.upsert(edited) == "updated"
    assert store.list_articles()[0].title == "Pension reform: thousands march"


def test_get_analysis_round_trips(store: Store) -> None:
    for analysis in all_samples():
        store.upsert(analysis)
    for analysis in all_samples():
        assert store.get_analysis(analysis.article.id) == analysis
    assert store.get_analysis("no-such-article") is None


def test_projection_rows(store: Store) -> None:
    store.upsert(berlin())
    with store.engine.connect() as conn:
        merkel = conn.execute(sa.select(entities).where(entities.c.entity_id == "e2")).one()
        assert merkel.name == "Angela Merkel"
        assert merkel.titles == ["Chancellor"]
        assert merkel.attributes == {"gender": "female"}
        assert merkel.n_mentions == 2
        she = conn.execute(
            sa.select(mentions).where(mentions.c.entity_id == "e2").order_by(mentions.c.seq)
        ).all()[1]
        assert (she.start, she.end, she.text, she.kind) == (*_offsets(BERLIN_TEXT, "she"), "she", "pronoun")
        event = conn.execute(sa.select(events)).one()
        # "dozens injured" has no value: the lower bound stands in for aggregates.
        assert (event.killed, event.injured) == (12, 24)
        assert event.data["killed"]["text"] == "killing 12 people"
        article = conn.execute(sa.select(articles)).one()
        assert article.schema_version == "storyline.analysis/1"
        assert len(article.content_hash) == 64


# -- atomicity ----------------------------------------------------------------------------------


def test_failed_update_keeps_the_committed_analysis(store: Store) -> None:
    store.upsert_many(all_samples())
    counts = store.counts()
    original = berlin()
    t = original.article.text
    # Two entities with one id: the second insert violates the primary key, after the article row,
    # the deletes of the old rows and the first entity have been written.
    broken = original.model_copy(
        update={
            "entities": [
                Entity(id="e1", label="ORG", name="police", mentions=[_m(t, "police")]),
                Entity(id="e1", label="PERSON", name="Angela Merkel", mentions=[_m(t, "Angela Merkel")]),
            ]
        }
    )
    with pytest.raises(sa.exc.IntegrityError):
        store.upsert(broken)
    assert store.get_analysis(original.article.id) == original
    assert store.counts() == counts
    assert orphans(store) == 0


def test_crash_mid_upsert_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.upsert(berlin())
    counts = store.counts()

    def crash(*args: object) -> dict[str, Any]:
        raise RuntimeError("simulated crash while building event rows")

    monkeypatch.setattr(store_db, "_event_row", crash)
    changed = berlin().model_copy(update={"claims": []})
    with pytest.raises(RuntimeError, match="simulated crash"):
        store.upsert(changed)
    assert store.get_analysis("berlin-2016-12-19") == berlin()
    assert store.counts() == counts
    assert store.search("Merkel")[0].id == "berlin-2016-12-19"


def test_lost_insert_race_retries_as_an_update(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer inserts the article between our read and our insert (possible on PostgreSQL)."""
    store.upsert(berlin())
    real = store._stored_document
    calls = {"n": 0}

    def stale(conn: sa.Connection, article_id: str) -> str | None:
        calls["n"] += 1
        return None if calls["n"] <= 2 else real(conn, article_id)  # both reads of the first attempt

    monkeypatch.setattr(store, "_stored_document", stale)
    changed = berlin().model_copy(update={"claims": []})
    assert store.upsert(changed) == "updated"
    assert store.get_analysis("berlin-2016-12-19") == changed
    assert orphans(store) == 0


def _bad_analysis() -> Analysis:
    """Valid enough to serialise, invalid for the database: a mention with no offsets (NOT NULL)."""
    bad: Any = None  # the bad value; model_construct skips validation on purpose
    bad_mention = Mention.model_construct(start=bad, end=bad, text=bad, field=None, kind="name")
    return Analysis.model_construct(
        article=Article(id="bad-article", title="Broken", text="Broken record."),
        entities=[Entity.model_construct(id="e1", label="ORG", name="x", mentions=[bad_mention])],
        places=[],
        times=[],
        claims=[],
        events=[],
        highlights=[],
    )


def test_failure_inside_upsert_many_keeps_earlier_articles(store: Store) -> None:
    batch = [berlin(), milan(), _bad_analysis(), paris()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydantic warns when serialising the model_construct'ed record
        with pytest.raises(sa.exc.IntegrityError):
            store.upsert_many(batch)
    assert store.count("articles") == 2
    assert store.get_analysis("berlin-2016-12-19") == berlin()
    assert store.get_analysis("milan-2016-12-23") == milan()
    assert store.get_analysis("bad-article") is None
    assert orphans(store) == 0
    # Rerun, reporting problems instead of stopping: the committed ones are skipped, the rest stored.
    problems: list[Problem] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = store.upsert_many(batch, errors=problems)
    assert result == Counter(unchanged=2, failed=1, stored=1)
    assert [(p.code, p.where) for p in problems] == [("E041", "bad-article")]
    assert store.count("articles") == 3


# -- queries ------------------------------------------------------------------------------------


def test_count_rejects_unknown_tables(store: Store) -> None:
    with pytest.raises(StorylineError) as info:
        store.count("articles; DROP TABLE articles")
    assert info.value.code == "E042"
    assert store.count("articles") == 0


def test_list_articles_newest_first_with_sizes(store: Store) -> None:
    store.upsert_many(all_samples())
    rows = store.list_articles(limit=10)
    assert [r.id for r in rows] == ["milan-2016-12-23", "berlin-2016-12-19", "paris-protest"]
    assert rows[0] == ArticleRow(
        id="milan-2016-12-23",
        title="Berlin attack suspect killed in Milan shootout",
        published="2016-12-23",
        source="CNN",
        url=None,
        language="en",
        n_entities=3,
        n_places=2,
        n_claims=1,
        n_events=1,
    )
    assert [r.id for r in store.list_articles(limit=1, offset=1)] == ["berlin-2016-12-19"]
    assert store.list_articles(limit=10, offset=3) == []


def test_top_entities_counts_articles_not_mentions(store: Store) -> None:
    store.upsert_many(all_samples())
    assert store.top_entities("ORG", 5) == [
        EntityCount(name="police", articles=2),
        EntityCount(name="CGT", articles=1),
    ]
    assert store.top_entities("PERSON", 1) == [EntityCount(name="Angela Merkel", articles=1)]
    assert store.top_entities("NORP", 5) == []


def test_top_places(store: Store) -> None:
    store.upsert_many(all_samples())
    top = store.top_places(2)
    assert top[0] == PlaceCount(name="Berlin", geonameid=2950159, country="DE", articles=2)
    assert len(top) == 2
    assert {p.name for p in store.top_places(10)} == {"Berlin", "Sesto San Giovanni", "Paris", "Zürich"}


def test_delete_removes_everything_derived(store: Store) -> None:
    store.upsert_many(all_samples())
    assert store.delete("berlin-2016-12-19") is True
    assert store.delete("berlin-2016-12-19") is False
    assert store.get_analysis("berlin-2016-12-19") is None
    assert store.search("Merkel") == []
    assert orphans(store) == 0
    assert store.count("articles") == 2


def _m(text: str, phrase: str) -> Mention:
    s = span(text, phrase)
    return Mention(start=s.start, end=s.end, text=s.text)


def _offsets(text: str, phrase: str) -> tuple[int, int]:
    s = span(text, phrase)
    return s.start, s.end
