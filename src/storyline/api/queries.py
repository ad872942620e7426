"""Read-only queries of the API and the web UI over a :class:`~storyline.store.Store`.

Why here rather than in ``storyline.store``: these are views for serving (events with their article's
metadata, an entity across articles, stories with their timeline), built from the store's tables with
the same SQLAlchemy Core statements on SQLite and PostgreSQL.

Ids across the store: an article keeps its own id; an entity or an event is ``{article_id}:{local_id}``
(``local_id`` being the analysis' ``e1``/``v1``), so every id names one item and finds it back with one
indexed read. Local ids never contain ``:``, so the key splits at its last colon.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, get_args

import sqlalchemy as sa
from pydantic import ValidationError

from storyline.model import STORY_SCHEMA_VERSION, Analysis, Entity, Event, Label, Story
from storyline.store import Store
from storyline.store.schema import articles, entities, events, stories, story_articles

#: Most candidate events a filter that runs in Python (near=, entity=) looks at.
MAX_SCAN = 100_000
EARTH_KM = 6371.0088
#: Every entity label of the model, for index probes on (label, name).
LABELS: tuple[str, ...] = get_args(Label)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def clean(value: str) -> str:
    """A user-supplied string safe to bind on every backend: PostgreSQL text cannot hold NUL."""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def split_key(key: str) -> tuple[str, str] | None:
    """``{article_id}:{local_id}`` -> (article_id, local_id); None when the key has no colon."""
    article_id, sep, local = clean(key).rpartition(":")
    if not sep or not article_id or not local:
        return None
    return article_id, local


def is_date_prefix(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD: the forms ``since``/``until`` accept."""
    return bool(_DATE.match(value))


@dataclass(frozen=True, slots=True)
class Near:
    lat: float
    lon: float
    km: float

    @classmethod
    def parse(cls, value: str) -> Near | None:
        """``lat,lon,km``; None when malformed or out of range."""
        parts = value.split(",")
        if len(parts) != 3:
            return None
        try:
            lat, lon, km = (float(p) for p in parts)
        except ValueError:
            return None
        if not all(math.isfinite(x) for x in (lat, lon, km)):
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= 20_000):
            return None
        return cls(lat, lon, km)

    def distance(self, lat: float, lon: float) -> float:
        """Great-circle distance in km (haversine)."""
        p1, p2 = math.radians(self.lat), math.radians(lat)
        dp, dl = p2 - p1, math.radians(lon - self.lon)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))

    def box(self) -> list[sa.ColumnElement[bool]]:
        """A bounding box that contains the circle (a cheap SQL prefilter); [] when it would wrap."""
        dlat = self.km / 111.32
        conds: list[sa.ColumnElement[bool]] = [
            events.c.lat >= self.lat - dlat,
            events.c.lat <= self.lat + dlat,
        ]
        cos = math.cos(math.radians(self.lat))
        if cos > 0.01:
            dlon = self.km / (111.32 * cos)
            if self.lon - dlon >= -180 and self.lon + dlon <= 180:
                conds += [events.c.lon >= self.lon - dlon, events.c.lon <= self.lon + dlon]
        return conds


@dataclass(slots=True)
class EventPage:
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0


def _event_item(row: Any) -> dict[str, Any]:
    return {
        "id": f"{row.article_id}:{row.event_id}",
        "article_id": row.article_id,
        "article_title": row.title,
        "published": row.published,
        "source": row.source,
        "event": Event.model_validate(row.data),
    }


def _entity_ids(store: Store, entity: str) -> dict[str, set[str]]:
    """Local entity ids by article of a store-wide entity id, or of every entity with that name.

    The exact name is looked up first through the (label, name) index, one probe per label; only when
    nothing has exactly that name does a case-insensitive scan of the entities run.
    """
    found: dict[str, set[str]] = {}
    key = split_key(entity)
    name = clean(entity)
    exact = sa.and_(entities.c.label.in_(LABELS), entities.c.name == name)
    queries: list[sa.ColumnElement[bool]] = [exact, sa.func.lower(entities.c.name) == name.lower()]
    with store.engine.connect() as conn:
        for condition in queries:
            if key is not None:
                condition = sa.or_(
                    condition, sa.and_(entities.c.article_id == key[0], entities.c.entity_id == key[1])
                )
            for r in conn.execute(sa.select(entities.c.article_id, entities.c.entity_id).where(condition)):
                found.setdefault(r.article_id, set()).add(r.entity_id)
            if found:
                break
    return found


def _participants(*roles: Any) -> set[str]:
    """Entity ids linked from argument lists (who, whom) as stored in an event document."""
    return {
        str(arg["entity"])
        for role in roles
        if isinstance(role, list)
        for arg in role
        if isinstance(arg, dict) and arg.get("entity")
    }


def find_events(
    store: Store,
    *,
    type: str | None = None,  # the query parameter's name
    since: str | None = None,
    until: str | None = None,
    near: Near | None = None,
    entity: str | None = None,
    article_ids: list[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> EventPage:
    """Events across the store, latest ``when`` first (undated last), with their article's metadata.

    ``type`` matches the PLOVER type case-insensitively; ``since``/``until`` (YYYY[-MM[-DD]]) bound the
    event's resolved date inclusively at the given granularity (undated events are then left out);
    ``near`` keeps events whose place lies within km of lat,lon; ``entity`` keeps events with a
    participant (who/whom) linked to that entity: a store-wide entity id or, case-insensitively, a name.
    """
    conds: list[sa.ColumnElement[bool]] = []
    if type:
        conds.append(sa.func.upper(events.c.type) == clean(type).upper())
    if since:
        conds.append(events.c.when_value >= since)
    if until:
        conds.append(sa.func.substr(events.c.when_value, 1, len(until)) <= until)
    if article_ids is not None:
        conds.append(events.c.article_id.in_(article_ids))
    wanted: dict[str, set[str]] | None = None
    if entity:
        wanted = _entity_ids(store, entity)
        if not wanted:
            return EventPage()
        conds.append(events.c.article_id.in_(list(wanted)))
    if near is not None:
        conds += [events.c.lat.is_not(None), events.c.lon.is_not(None), *near.box()]
    order = (events.c.when_value.desc().nulls_last(), events.c.article_id, events.c.event_id)
    with store.engine.connect() as conn:
        if near is None and wanted is None:
            total = conn.execute(sa.select(sa.func.count()).select_from(events).where(*conds)).scalar_one()
            keys = [
                (r.article_id, r.event_id)
                for r in conn.execute(
                    sa.select(events.c.article_id, events.c.event_id)
                    .where(*conds)
                    .order_by(*order)
                    .limit(limit)
                    .offset(offset)
                )
            ]
        else:
            # Filters SQL cannot express on every backend (great-circle distance, participants inside
            # the event document) run here over the candidates, reading only what they need.
            columns: list[sa.ColumnElement[Any]] = [
                events.c.article_id,
                events.c.event_id,
                events.c.lat,
                events.c.lon,
            ]
            if wanted is not None:  # only the participants, not the whole event document
                columns += [events.c.data["who"].label("who"), events.c.data["whom"].label("whom")]
            kept = []
            for r in conn.execute(sa.select(*columns).where(*conds).order_by(*order).limit(MAX_SCAN)):
                if near is not None and near.distance(r.lat, r.lon) > near.km:
                    continue
                if wanted is not None and not (
                    _participants(r.who, r.whom) & wanted.get(r.article_id, set())
                ):
                    continue
                kept.append((r.article_id, r.event_id))
            total = len(kept)
            keys = kept[offset : offset + limit]
        rows = _event_rows(conn, keys)
    return EventPage(items=[_event_item(rows[key]) for key in keys if key in rows], total=int(total))


def _event_rows(conn: sa.Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """The full rows (event document and article metadata) of one page of events, by key."""
    if not keys:
        return {}
    stmt = (
        sa.select(
            events.c.article_id,
            events.c.event_id,
            events.c.data,
            articles.c.title,
            articles.c.published,
            articles.c.source,
        )
        .join(articles, articles.c.id == events.c.article_id)
        # By article (the primary key's prefix): a row-value IN list is a full scan on SQLite.
        .where(events.c.article_id.in_(sorted({article_id for article_id, _ in keys})))
    )
    wanted = set(keys)
    return {(r.article_id, r.event_id): r for r in conn.execute(stmt) if (r.article_id, r.event_id) in wanted}


@dataclass(frozen=True, slots=True)
class EntityView:
    """One entity of one article, and where else an entity of that label and name appears."""

    id: str
    article_id: str
    article_title: str | None
    published: str | None
    source: str | None
    entity: Entity
    also_in: list[dict[str, Any]]
    events: list[str]
    claims: list[str]


def get_entity(store: Store, key: str, also_in_limit: int = 100) -> tuple[EntityView, Analysis] | None:
    """The entity ``{article_id}:{entity_id}`` with its article's analysis; None when unknown."""
    parts = split_key(key)
    if parts is None:
        return None
    article_id, entity_id = parts
    analysis = store.get_analysis(article_id)
    if analysis is None:
        return None
    entity = next((e for e in analysis.entities if e.id == entity_id), None)
    if entity is None:
        return None
    stmt = (
        sa.select(
            entities.c.article_id,
            entities.c.entity_id,
            entities.c.n_mentions,
            articles.c.title,
            articles.c.published,
        )
        .join(articles, articles.c.id == entities.c.article_id)
        .where(
            entities.c.label == entity.label,
            entities.c.name == entity.name,
            entities.c.article_id != article_id,
        )
        .order_by(articles.c.published.desc().nulls_last(), entities.c.article_id)
        .limit(also_in_limit)
    )
    with store.engine.connect() as conn:
        also = [
            {
                "id": f"{r.article_id}:{r.entity_id}",
                "article_id": r.article_id,
                "title": r.title,
                "published": r.published,
                "n_mentions": r.n_mentions,
            }
            for r in conn.execute(stmt)
        ]
    evs = [ev.id for ev in analysis.events if any(a.entity == entity.id for a in (*ev.who, *ev.whom))]
    cls = [c.id for c in analysis.claims if c.source is not None and c.source.entity == entity.id]
    view = EntityView(
        id=f"{article_id}:{entity.id}",
        article_id=article_id,
        article_title=analysis.article.title,
        published=analysis.article.published,
        source=analysis.article.source,
        entity=entity,
        also_in=also,
        events=evs,
        claims=cls,
    )
    return view, analysis


def _sizes(min_articles: int = 1) -> sa.Subquery:
    """Per story: its number of articles and the first and last of their publication dates."""
    n = sa.func.count(story_articles.c.article_id).label("n_articles")
    return (
        sa.select(
            story_articles.c.story_id,
            n,
            sa.func.min(articles.c.published).label("first_published"),
            sa.func.max(articles.c.published).label("last_published"),
        )
        .join(articles, articles.c.id == story_articles.c.article_id)
        .group_by(story_articles.c.story_id)
        .having(n >= min_articles)
        .subquery()
    )


def _story_item(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "created_at": r.created_at.isoformat() if r.created_at else None,
        "updated_at": r.updated_at.isoformat() if r.updated_at else None,
        "n_articles": int(r.n_articles or 0),
        "first_published": r.first_published,
        "last_published": r.last_published,
        "data": r.data if isinstance(r.data, dict) else None,
    }


def list_stories(
    store: Store, limit: int = 50, offset: int = 0, min_articles: int = 1
) -> tuple[list[dict[str, Any]], int]:
    """Stories of at least ``min_articles`` articles, the largest first, then the latest; and their number.

    Why largest first: a story many sources reported is what a reader looks for first; a store of
    news holds far more single-article stories than multi-article ones.
    """
    sizes = _sizes(max(1, min_articles))
    columns = (stories, sizes.c.n_articles, sizes.c.first_published, sizes.c.last_published)
    stmt = (
        sa.select(*columns)
        .join(sizes, sizes.c.story_id == stories.c.id)
        .order_by(sizes.c.n_articles.desc(), sizes.c.last_published.desc().nulls_last(), stories.c.id)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        total = conn.execute(
            sa.select(sa.func.count()).select_from(stories).join(sizes, sizes.c.story_id == stories.c.id)
        ).scalar_one()
        return [_story_item(r) for r in conn.execute(stmt)], int(total)


def _timeline_key(item: dict[str, Any]) -> tuple[bool, str, str]:
    """Dated events first, oldest first; undated ones after, by id."""
    when = item["event"].when
    value = (when.value if when is not None else None) or ""
    return (not value, value, item["id"])


def get_story(store: Store, story_id: str, max_events: int = 500) -> dict[str, Any] | None:
    """A story with its articles (oldest first) and their events (the timeline, oldest first)."""
    sid = clean(story_id)
    sizes = _sizes(0)
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(stories, sizes.c.n_articles, sizes.c.first_published, sizes.c.last_published)
            .outerjoin(sizes, sizes.c.story_id == stories.c.id)
            .where(stories.c.id == sid)
        ).first()
        if row is None:
            return None
        arts = conn.execute(
            sa.select(
                articles.c.id,
                articles.c.title,
                articles.c.published,
                articles.c.source,
                story_articles.c.score,
            )
            .join(story_articles, story_articles.c.article_id == articles.c.id)
            .where(story_articles.c.story_id == sid)
            .order_by(articles.c.published.nulls_last(), articles.c.id)
        ).all()
    story = _story_item(row)
    story["articles"] = [
        {"id": a.id, "title": a.title, "published": a.published, "source": a.source, "score": a.score}
        for a in arts
    ]
    page = find_events(store, article_ids=[a.id for a in arts], limit=max_events)
    timeline = sorted(page.items, key=_timeline_key)
    story["events"] = timeline
    story["story"] = story_record(story["data"])
    return story


def story_record(data: dict[str, Any] | None) -> Story | None:
    """The ``storyline.story/1`` record stored in ``stories.data``; None for data of another shape
    (a story written by something else than the stories stage is still served, without it)."""
    if not isinstance(data, dict) or data.get("schema") != STORY_SCHEMA_VERSION:
        return None
    try:
        return Story.model_validate(data)
    except ValidationError:
        return None
