"""Storage: the SQLAlchemy Core schema, the :class:`Store` and its migrations (SQLite or PostgreSQL).

``Store(url)`` opens (and migrates) a database; the URL defaults to ``$STORYLINE_DB``, else
``sqlite:///storyline.db``. See docs/design.md, Storage.
"""

from __future__ import annotations

from storyline.store.db import ArticleRow, EntityCount, PlaceCount, Store, UpsertResult, resolve_url
from storyline.store.search import SearchHit

__all__ = ["ArticleRow", "EntityCount", "PlaceCount", "SearchHit", "Store", "UpsertResult", "resolve_url"]
