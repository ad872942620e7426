"""Full-text search: finds words in titles and texts, follows updates, and survives hostile input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from storyline.store import SearchHit, Store
from storyline.store.search import HIT_END, HIT_START, fts5_query, search_like, terms
from tests.store.samples import all_samples, berlin, paris

HOSTILE = [
    '"',
    "'",
    "'; DROP TABLE articles;--",
    '"; DROP TABLE articles; --',
    "AND OR NOT",
    "NEAR(a b)",
    "*",
    "Berlin*",
    "title:Berlin",
    "^Berlin",
    "(Berlin",
    "Berlin)",
    "-Berlin",
    "+",
    "Berlin OR",
    "Berlin AND NOT",
    '""""',
    "\\",
    "%",
    "_",
    "\x00",
    "\u200b",
    "\ud800 lone surrogate",
    "北京 東京",
    "🔥🔥",
    "Zürich",
    "ZÜRICH",
    "Ünïcödé \u202ereversed\u202c",
    "x" * 5000,
    " ".join(["Berlin"] * 500),
]


@pytest.fixture
def filled(store: Store) -> Store:
    store.upsert_many(all_samples())
    return store


def ids(hits: list[SearchHit]) -> list[str]:
    return [hit.id for hit in hits]


def test_finds_a_word_in_the_text(filled: Store) -> None:
    hits = filled.search("Minniti")
    assert ids(hits) == ["milan-2016-12-23"]
    hit = hits[0]
    assert hit.title == "Berlin attack suspect killed in Milan shootout"
    assert hit.published == "2016-12-23"
    assert f"{HIT_START}Minniti{HIT_END}" in hit.snippet
    assert isinstance(hit.score, float)


def test_finds_a_word_only_in_the_title(filled: Store) -> None:
    # "shootout" and "rams" appear in titles only.
    assert ids(filled.search("shootout")) == ["milan-2016-12-23"]
    assert ids(filled.search("rams")) == ["berlin-2016-12-19"]


def test_all_terms_must_match(filled: Store) -> None:
    assert set(ids(filled.search("Berlin"))) == {"berlin-2016-12-19", "milan-2016-12-23"}
    assert ids(filled.search("Berlin Merkel")) == ["berlin-2016-12-19"]
    assert filled.search("Berlin pension") == []


def test_case_and_accents_and_inflection_are_ignored(store: Store) -> None:
    store.upsert_many(all_samples())
    if store.engine.dialect.name == "sqlite":
        assert ids(store.search("zurich")) == ["paris-protest"]
    assert ids(store.search("PARIS")) == ["paris-protest"]
    # Stemming: "killed" finds "killing" (Berlin) and the title "... killed in Milan ..." (Milan).
    assert set(ids(store.search("killed"))) == {"berlin-2016-12-19", "milan-2016-12-23"}
    assert ids(store.search("protests")) == ["paris-protest"]


def test_empty_queries_return_nothing(filled: Store) -> None:
    for query in ["", "   ", "\n\t", "*", '"', "--"]:
        assert filled.search(query) == []


def test_limit(filled: Store) -> None:
    assert len(filled.search("Berlin", limit=1)) == 1
    assert filled.search("Berlin", limit=0) == []
    assert filled.search("Berlin", limit=-5) == []


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_harmless(filled: Store, query: str) -> None:
    hits = filled.search(query)
    assert isinstance(hits, list)
    assert filled.count("articles") == 3
    if query in {"Berlin*", "(Berlin", "Berlin)", "-Berlin", "^Berlin"}:
        # Punctuation is not part of a word: these are plain searches for Berlin.
        assert set(ids(hits)) == {"berlin-2016-12-19", "milan-2016-12-23"}


def test_operator_words_are_plain_words(filled: Store) -> None:
    # Were OR an operator this would find every article with "Paris" or "Merkel".
    assert filled.search("Paris OR Merkel") == []


def test_search_follows_updates_and_deletes(store: Store) -> None:
    store.upsert(paris())
    assert ids(store.search("pension")) == ["paris-protest"]
    article = paris().article.model_copy(
        update={"text": "Farmers drove tractors into Paris on Saturday.", "title": "Tractor protest"}
    )
    store.upsert(paris().model_copy(update={"article": article, "entities": [], "places": [], "events": []}))
    assert store.search("pension") == []
    assert ids(store.search("tractors")) == ["paris-protest"]
    assert ids(store.search("tractor")) == ["paris-protest"]
    store.delete("paris-protest")
    assert store.search("tractors") == []


def test_fts5_index_stays_consistent(sqlite_file_url: str) -> None:
    """FTS5's own integrity check (with content comparison) after inserts, updates and deletes."""
    with Store(sqlite_file_url) as store:
        store.upsert_many(all_samples())
        changed = berlin().article.model_copy(update={"title": None})
        store.upsert(berlin().model_copy(update={"article": changed}))
        store.delete("paris-protest")
        with store.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            assert conn.exec_driver_sql("SELECT count(*) FROM articles_fts").scalar() == 2


def test_fts5_query_quotes_every_term() -> None:
    assert fts5_query("Berlin attack") == '"Berlin" "attack"'
    assert fts5_query('say "hello') == '"say" """hello"'
    assert fts5_query("NOT x*") == '"NOT" "x*"'
    assert fts5_query("* -- ;") is None
    assert fts5_query("") is None
    assert terms("a -- b") == ["a", "b"]


def test_like_fallback(filled: Store) -> None:
    """The dialect-neutral fallback, exercised on SQLite; % and _ stay literal."""
    with filled.engine.connect() as conn:
        assert set(ids(search_like(conn, "berlin"))) == {"berlin-2016-12-19", "milan-2016-12-23"}
        assert ids(search_like(conn, "Merkel shocked")) == ["berlin-2016-12-19"]
        assert search_like(conn, "100%") == []
        assert search_like(conn, "_") == []
        assert search_like(conn, "") == []
    assert filled.count("articles") == 3


def test_search_sql_is_parameterised(filled: Store) -> None:
    """The hostile text reaches the database only as a bound value: the table survives, unchanged."""
    before = filled.counts()
    filled.search("x'); DELETE FROM articles; --")
    assert filled.counts() == before
    with filled.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(sa.table("articles"))).scalar_one() == 3
