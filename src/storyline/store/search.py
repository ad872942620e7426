"""Full-text search over article titles and texts.

Why the query is rebuilt rather than passed through: search input comes from users (CLI, HTTP, web
form), and FTS5's query language gives meaning to ``"``, ``*``, ``:``, ``^``, parentheses and the
words AND/OR/NOT/NEAR, so a raw string can be a syntax error or a different query than the one typed.
Each whitespace-separated term becomes an FTS5 string (``"term"``, inner quotes doubled), and the
terms are ANDed: the user gets plain "all these words" search and no input can break the statement.
The query itself is always a bound parameter.

Backends: SQLite uses the FTS5 table ``articles_fts`` (created by the migrations, kept in sync by
triggers); PostgreSQL uses the generated ``articles.search_vector`` column with ``plainto_tsquery``
(same all-words semantics; tested on PostgreSQL 15 whenever ``STORYLINE_TEST_PG`` is set, as ``.ci/run``
does); any other dialect falls back to ``LIKE`` scans, slow but correct.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storyline.store.schema import articles

#: Markers around the matched words in a snippet. Plain characters rather than HTML, so a snippet
#: is safe to print; the web layer escapes the snippet and then swaps these for ``<mark>``.
HIT_START = "["
HIT_END = "]"
ELLIPSIS = "…"
#: Roughly how many words a snippet spans.
SNIPPET_WORDS = 16


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article matching a search; higher ``score`` is better (scores compare within one search)."""

    id: str
    title: str | None
    published: str | None
    snippet: str
    score: float


def terms(query: str) -> list[str]:
    """The query's searchable terms: whitespace-separated, keeping only those with a letter or digit.

    A term without any (``*``, ``"``, ``--``) cannot match a token of the ``unicode61`` tokenizer, so
    it is dropped rather than sent. Lone surrogates (a command-line argument that was not valid UTF-8
    arrives with them) cannot be sent to the database at all, so they become "?" first; NUL (which
    PostgreSQL text cannot hold) separates terms.
    """
    query = query.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
    return [term for term in query.split() if any(ch.isalnum() for ch in term)]


def fts5_query(query: str) -> str | None:
    """The user's query as a safe FTS5 MATCH expression (every term an FTS5 string), or None if empty.

    ``Berlin "truck attack*`` becomes ``"Berlin" ""\"truck" "attack*"`` (a ``*`` inside an FTS5
    string is an ordinary character, so no prefix query either).
    """
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms(query)]
    return " ".join(quoted) if quoted else None


_SQLITE_SEARCH = sa.text(
    """
    SELECT a.id AS id, a.title AS title, a.published AS published,
           snippet(articles_fts, -1, :hit_start, :hit_end, :ellipsis, :words) AS snippet,
           -bm25(articles_fts, 2.0, 1.0) AS score
    FROM articles_fts JOIN articles AS a ON a.search_rowid = articles_fts.rowid
    WHERE articles_fts MATCH :query
    ORDER BY score DESC, a.id
    LIMIT :limit
    """
)

# --- PostgreSQL branch (tests/store and tests/api run it when STORYLINE_TEST_PG is set) ----------------
# The ranking runs over the index alone and only the top ``limit`` rows get the (costly) headline.
_POSTGRESQL_SEARCH = sa.text(
    """
    WITH q AS (SELECT plainto_tsquery('english', :query) AS tsq),
    hits AS (
        SELECT a.id, a.title, a.published, a.text, ts_rank(a.search_vector, q.tsq) AS score, q.tsq
        FROM articles AS a, q
        WHERE a.search_vector @@ q.tsq
        ORDER BY score DESC, a.id
        LIMIT :limit
    )
    SELECT id, title, published,
           ts_headline('english', coalesce(title, '') || ' ' || text, tsq, :options) AS snippet,
           score
    FROM hits
    ORDER BY score DESC, id
    """
)


def search(conn: Connection, query: str, limit: int = 20) -> list[SearchHit]:
    """Articles whose title or text contain every term of ``query``, best first; [] for an empty query."""
    limit = max(0, int(limit))
    if limit == 0 or not terms(query):
        return []
    dialect = conn.dialect.name
    if dialect == "sqlite":
        rows = conn.execute(
            _SQLITE_SEARCH,
            {
                "query": fts5_query(query),  # not None: terms(query) is not empty
                "hit_start": HIT_START,
                "hit_end": HIT_END,
                "ellipsis": ELLIPSIS,
                "words": SNIPPET_WORDS,
                "limit": limit,
            },
        )
    elif dialect == "postgresql":
        options = (
            f'StartSel="{HIT_START}", StopSel="{HIT_END}", '
            f'MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, FragmentDelimiter="{ELLIPSIS}", '
            "MaxFragments=2"
        )
        rows = conn.execute(
            _POSTGRESQL_SEARCH, {"query": " ".join(terms(query)), "limit": limit, "options": options}
        )
    else:
        return search_like(conn, query, limit)
    return [
        SearchHit(id=r.id, title=r.title, published=r.published, snippet=r.snippet or "", score=r.score)
        for r in rows
    ]


def search_like(conn: Connection, query: str, limit: int = 20) -> list[SearchHit]:
    """Fallback for dialects without a full-text index: every term as a case-insensitive substring.

    ``autoescape`` keeps ``%`` and ``_`` in the user's terms literal. All hits score 0.
    """
    words = terms(query)
    if not words or limit <= 0:
        return []
    condition = sa.and_(
        *(
            sa.or_(
                articles.c.title.icontains(word, autoescape=True),
                articles.c.text.icontains(word, autoescape=True),
            )
            for word in words
        )
    )
    stmt = (
        sa.select(articles.c.id, articles.c.title, articles.c.published, articles.c.text)
        .where(condition)
        .order_by(articles.c.published.desc(), articles.c.id)
        .limit(limit)
    )
    return [
        SearchHit(id=r.id, title=r.title, published=r.published, snippet=_plain_snippet(r.text), score=0.0)
        for r in conn.execute(stmt)
    ]


def _plain_snippet(text: str) -> str:
    words = text.split()
    head = " ".join(words[: SNIPPET_WORDS * 2])
    return head + (ELLIPSIS if len(words) > SNIPPET_WORDS * 2 else "")
