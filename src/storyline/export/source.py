"""Reading analyses out of a store for an export, a page at a time.

Why pages keyed on the article id rather than one query or ``LIMIT/OFFSET``: an export of a large
store must never hold it in memory, one long-lived cursor would keep a read transaction (and, on
SQLite, the WAL) open for the whole export, and OFFSET re-reads every skipped row on each page. Each
page is its own short read of ``page_size`` documents after the last id seen. The document column
(``articles.analysis``) is the store's source of truth (see storyline.store.schema), so nothing is
lost to the flattened projection; the ``events`` projection is used only to skip, in SQL, articles
that have no event of a requested type.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from pydantic import ValidationError

from storyline.errors import Problem
from storyline.export.base import Selection, StoredAnalysis
from storyline.model import Analysis
from storyline.store import Store
from storyline.store.schema import articles, events

PAGE_SIZE = 200


def iter_stored(
    store: Store,
    selection: Selection = Selection(),  # noqa: B008 - frozen, so a shared default is safe
    *,
    page_size: int = PAGE_SIZE,
    problems: list[Problem] | None = None,
) -> Iterator[StoredAnalysis]:
    """Every stored analysis (that may hold a selected event), in article id order, page by page.

    A stored document that no longer validates is reported in ``problems`` (E165) and skipped, so one
    bad row does not stop an export; without a list the error propagates.
    """
    after: str | None = None
    while True:
        stmt = sa.select(articles.c.id, articles.c.analysis, articles.c.updated_at).order_by(articles.c.id)
        if after is not None:
            stmt = stmt.where(articles.c.id > after)
        if selection.types:
            stmt = stmt.where(
                sa.exists().where(events.c.article_id == articles.c.id, events.c.type.in_(selection.types))
            )
        with store.engine.connect() as conn:
            rows = conn.execute(stmt.limit(max(1, page_size))).all()
        if not rows:
            return
        for row in rows:
            try:
                analysis = Analysis.model_validate_json(row.analysis)
            except ValidationError as exc:
                first = exc.errors()[0]
                reason = f"{exc.error_count()} error(s), first at {first['loc']}: {first['msg']}"
                problem = Problem("E165", where=row.id, article=row.id, reason=reason)
                if problems is None:
                    raise problem from exc
                problems.append(problem)
                continue
            yield StoredAnalysis(analysis, row.updated_at)
        after = rows[-1].id
