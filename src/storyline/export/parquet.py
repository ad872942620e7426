"""Parquet: the events as one flat table, a row per event, for pandas, DuckDB, Spark or R/arrow.

Why flat columns (scalars, and lists of strings only where an event has several of a thing): every
columnar tool reads them without unnesting; the nested original is one ``jsonl`` export away. The
columns are :data:`COLUMNS` (name, Arrow type, what it holds). Counts keep what the text said: the
value, the bounds and the phrase ("dozens": value null, low 24), plus ``killed``/``injured``, one
figure per count (the value, else the lower bound) as the store's ``events`` table has it.

Streaming: rows are gathered into record batches of :data:`BATCH_ROWS` and written as they fill, so
memory stays bounded by one batch whatever the size of the store. Every status is exported; filter on
``status``. pyarrow is an optional dependency (the ``export`` extra); without it, E163.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from storyline.errors import StorylineError
from storyline.export.base import (
    ExportStats,
    Geo,
    Selection,
    StoredAnalysis,
    actor_names,
    event_period,
    figure,
    stored,
    uid,
)
from storyline.model import Analysis, Event, Quantity

BATCH_ROWS = 10_000

#: (column, Arrow type name, meaning). Type names: string, int64, float64, date32, list<string>.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("event_uid", "string", "{article_id}:{event_id}, unique across the store"),
    ("article_id", "string", "the article's id"),
    ("event_id", "string", "the event's id within its article (v1, v2, ...)"),
    ("type", "string", "PLOVER type (plus ACCIDENT, DISASTER)"),
    ("mode", "string", "PLOVER mode, e.g. firearms"),
    ("status", "string", "occurred | alleged | planned | threatened | hypothetical | negated"),
    ("confidence", "float64", "the events stage's confidence in [0, 1]"),
    ("trigger_start", "int64", "character offset of the trigger in the article text"),
    ("trigger_end", "int64", "end offset of the trigger"),
    ("trigger_text", "string", "the trigger as written"),
    ("when_time_id", "string", "id of the time expression (t3)"),
    ("when_value", "string", "its TIMEX3 value (2016-12-23, 2016-W51, 2016-12)"),
    ("date_start", "date32", "first day of that value's period"),
    ("date_end", "date32", "last day of that period"),
    ("date_granularity", "string", "day | week | month | quarter | year"),
    ("place_id", "string", "id of the place (p1)"),
    ("place_name", "string", "the place's name"),
    ("lat", "float64", "latitude, WGS84"),
    ("lon", "float64", "longitude, WGS84"),
    ("geonameid", "int64", "GeoNames id of the place"),
    ("country", "string", "ISO 3166 alpha-2 code of the place's country"),
    ("admin1", "string", "the place's first-level region, by name"),
    ("killed", "int64", "deaths: the value, else the lower bound"),
    ("killed_value", "int64", "deaths as stated exactly"),
    ("killed_low", "int64", "lower bound of deaths"),
    ("killed_high", "int64", "upper bound of deaths"),
    ("killed_text", "string", "the phrase the deaths come from"),
    ("injured", "int64", "injured: the value, else the lower bound"),
    ("injured_value", "int64", "injured as stated exactly"),
    ("injured_low", "int64", "lower bound of injured"),
    ("injured_high", "int64", "upper bound of injured"),
    ("injured_text", "string", "the phrase the injured come from"),
    ("who", "list<string>", "actors, by canonical entity name where linked"),
    ("whom", "list<string>", "targets, by canonical entity name where linked"),
    ("who_entities", "list<string>", "entity ids of linked actors"),
    ("whom_entities", "list<string>", "entity ids of linked targets"),
    ("how", "list<string>", "how spans' text"),
    ("why", "list<string>", "why spans' text"),
    ("claims", "list<string>", "ids of the claims that report the event"),
    ("evidence", "string", "the evidence sentences, joined by a space"),
    ("published", "string", "the article's publication date"),
    ("source", "string", "the publisher"),
    ("url", "string", "the article's URL"),
    ("title", "string", "the article's title"),
)


def _pyarrow() -> Any:
    """pyarrow, imported on use: it is an optional dependency (E163 without it)."""
    try:
        import pyarrow  # type: ignore[import-untyped]
        import pyarrow.parquet  # type: ignore[import-untyped]
    except ImportError as exc:
        raise StorylineError("E163") from exc
    return pyarrow


def arrow_schema() -> Any:
    """The Arrow schema of :data:`COLUMNS`, with each column's meaning as field metadata."""
    pa = _pyarrow()
    types = {
        "string": pa.string(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "date32": pa.date32(),
        "list<string>": pa.list_(pa.string()),
    }
    return pa.schema(
        [pa.field(name, types[kind], metadata={"description": doc}) for name, kind, doc in COLUMNS],
        metadata={"schema": "storyline.events/1"},
    )


def _quantity(prefix: str, quantity: Quantity | None) -> dict[str, Any]:
    return {
        prefix: figure(quantity),
        f"{prefix}_value": quantity.value if quantity else None,
        f"{prefix}_low": quantity.low if quantity else None,
        f"{prefix}_high": quantity.high if quantity else None,
        f"{prefix}_text": quantity.text if quantity else None,
    }


class ParquetExporter:
    """Writes the selected events as a Parquet file (see :data:`COLUMNS`)."""

    name = "parquet"
    binary = True
    suffix = ".parquet"

    def __init__(self, geo: Geo | None = None) -> None:
        self.pa = _pyarrow()  # fail at construction, before any output is opened
        self.geo = geo or Geo()
        self.schema = arrow_schema()

    def row(self, analysis: Analysis, event: Event) -> dict[str, Any]:
        """The table row of one event."""
        article = analysis.article
        period = event_period(event)
        location = self.geo.locate(analysis, event)
        place = location.place if location else None
        return {
            "event_uid": uid(analysis, event),
            "article_id": article.id,
            "event_id": event.id,
            "type": event.type,
            "mode": event.mode,
            "status": event.status,
            "confidence": event.confidence,
            "trigger_start": event.trigger.start,
            "trigger_end": event.trigger.end,
            "trigger_text": event.trigger.text,
            "when_time_id": event.when.time if event.when else None,
            "when_value": event.when.value if event.when else None,
            "date_start": period.start if period else None,
            "date_end": period.end if period else None,
            "date_granularity": period.granularity if period else None,
            "place_id": place.id if place else None,
            "place_name": location.name if location else None,
            "lat": location.lat if location else None,
            "lon": location.lon if location else None,
            "geonameid": place.geonameid if place else None,
            "country": location.country.iso2 if location and location.country else None,
            "admin1": location.admin1 if location else None,
            **_quantity("killed", event.killed),
            **_quantity("injured", event.injured),
            "who": actor_names(analysis, event.who),
            "whom": actor_names(analysis, event.whom),
            "who_entities": [a.entity for a in event.who if a.entity],
            "whom_entities": [a.entity for a in event.whom if a.entity],
            "how": [s.text for s in event.how],
            "why": [s.text for s in event.why],
            "claims": list(event.claims),
            "evidence": " ".join(s.text for s in event.evidence) or None,
            "published": article.published,
            "source": article.source,
            "url": article.url,
            "title": article.title,
        }

    def write(
        self, items: Iterable[Analysis | StoredAnalysis], sink: IO[bytes], selection: Selection
    ) -> ExportStats:
        pa = self.pa
        stats = ExportStats()
        names = [name for name, _, _ in COLUMNS]
        writer = pa.parquet.ParquetWriter(pa.PythonFile(sink, mode="w"), self.schema)
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            if batch:
                columns = {name: [row[name] for row in batch] for name in names}
                writer.write_table(pa.table(columns, schema=self.schema))
                batch.clear()

        try:
            for item in stored(items):
                stats.articles += 1
                for event in selection.events(item.analysis):
                    batch.append(self.row(item.analysis, event))
                    stats.events += 1
                    stats.records += 1
                    if len(batch) >= BATCH_ROWS:
                        flush()
            flush()
        finally:
            writer.close()
        return stats
