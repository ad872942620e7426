"""What story clustering compares: an analysis reduced to sparse keyed counts and a date.

Text alone cannot separate two shootings in two cities a week apart: they share most of their words.
What the analysis found can: the places (GeoNames ids), the people and organisations (entity names),
the event types and the day the main event happened. :func:`extract` turns an :class:`Analysis` into
:class:`ArticleFeatures`, raw counts per group with prefixed keys (``w:`` words, ``e:`` entities,
``p:`` places, ``y:`` event types), before any IDF weighting: the document frequencies are the story
index's (online, updated as articles arrive), so this module is a pure function of one analysis.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from storyline.model import Analysis, Event, Place

#: Entity labels that name who or what a story is about (GPE/LOC are places, counted by GeoNames id).
ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
#: Event types of incidents: point events, unlike a campaign or a trial that runs for months.
INCIDENT_TYPES = frozenset({"ASSAULT", "ACCIDENT", "DISASTER"})
#: A main event dated more than this many days before publication is a back-story, not the news.
MAX_EVENT_AGE_DAYS = 30
#: Weight of a state or province, and of a country, against a city (see :func:`place_weight`).
ADMIN1_WEIGHT = 0.3
COUNTRY_WEIGHT = 0.2
#: Title words count this many times: the headline says what the article is about.
TITLE_WEIGHT = 2.0

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """One article as story clustering sees it: raw (unweighted) counts per evidence group and a day.

    - ``words``: sublinear counts of content words of title (x2) and text; ``title``: the
      headline's words alone (``t:``).
    - ``entities``: named people, organisations, groups, facilities, events, products, laws, by
      normalised name (and, for a person, the surname alone, so "Johnson" meets "Boris Johnson").
    - ``places``: GeoNames ids of the main event's place and of the places in the headline.
    - ``types``: the PLOVER types of the article's events, weighted by salience.
    - ``day``: the main event's date as a proleptic ordinal when the analysis dates it to a day
      within :data:`MAX_EVENT_AGE_DAYS` before publication, else the publication day, else None.
    """

    article: str
    words: Mapping[str, float] = field(default_factory=dict)
    title: Mapping[str, float] = field(default_factory=dict)
    entities: Mapping[str, float] = field(default_factory=dict)
    places: Mapping[str, float] = field(default_factory=dict)
    types: Mapping[str, float] = field(default_factory=dict)
    day: int | None = None
    incident: bool = False
    """Whether the main event is an incident (an attack, an accident, a disaster): it happened once,
    on its day, so another incident of another day is another story."""
    dense: tuple[float, ...] = ()
    """The headline and lead's sentence embedding (unit length; :mod:`storyline.stories.embedding`),
    empty when the index does not embed."""

    def all_keys(self) -> set[str]:
        """Every key of every group: what the document frequencies count once per article."""
        return {*self.words, *self.title, *self.entities, *self.places, *self.types}


def _sublinear(counts: Mapping[str, float]) -> dict[str, float]:
    return {key: 1.0 + math.log(value) for key, value in counts.items() if value > 0}


def words(title: str | None, text: str) -> dict[str, float]:
    """Sublinear counts of content words (lower-cased, no stop words, no one-letter tokens)."""
    counts: defaultdict[str, float] = defaultdict(float)
    for weight, source in ((TITLE_WEIGHT, title or ""), (1.0, text)):
        for match in _WORD.finditer(source.lower()):
            token = match.group().replace("’", "'")
            if len(token) < 2 or token in STOP_WORDS or (token.isdigit() and len(token) < 2):
                continue
            counts[f"w:{token}"] += weight
    return _sublinear(counts)


def _name_key(name: str) -> str:
    key = " ".join(_WORD.findall(name.lower()))
    return key[4:] if key.startswith("the ") else key


def entities(analysis: Analysis) -> dict[str, float]:
    """Named entities by normalised name, weighted by their named mentions."""
    counts: defaultdict[str, float] = defaultdict(float)
    for entity in analysis.entities:
        if entity.label not in ENTITY_LABELS:
            continue
        key = _name_key(entity.name)
        if not key:
            continue
        named = sum(1 for mention in entity.mentions if mention.kind == "name") or 1
        counts[f"e:{key}"] += named
        parts = key.split()
        if entity.label == "PERSON" and len(parts) > 1:
            counts[f"e:{parts[-1]}"] += named
    return _sublinear(counts)


def main_event(analysis: Analysis) -> Event | None:
    """The most salient event (the title pass ranks them), else the first."""
    if not analysis.events:
        return None
    return max(analysis.events, key=lambda event: event.salience or 0.0)


def place_weight(place: Place) -> float:
    """How much sharing this place says about sharing a story: a city or a site fully, a state or
    province little (two shootings in one state are two stories), a country less."""
    if place.admin1 is None:
        return COUNTRY_WEIGHT
    if _name_key(place.name) == _name_key(place.admin1):
        return ADMIN1_WEIGHT
    return 1.0


def places(analysis: Analysis) -> dict[str, float]:
    """Where the news happened: the main event's place and the places the headline names (GeoNames
    ids, weighted by :func:`place_weight`).

    Only these, not every place mentioned: a report on a currency's fall names the countries of its
    markets in passing, and their disagreement says nothing against two reports being one story."""
    chosen: dict[str, float] = {}
    by_id = {place.id: place for place in analysis.places}
    event = main_event(analysis)
    if event is not None and event.where is not None and event.where.place in by_id:
        place = by_id[event.where.place]
        if place.geonameid is not None:
            chosen[f"p:{place.geonameid}"] = place_weight(place)
    for place in analysis.places:
        if place.geonameid is not None and any(m.field == "title" for m in place.mentions):
            chosen[f"p:{place.geonameid}"] = place_weight(place)
    return chosen


def types(analysis: Analysis) -> dict[str, float]:
    """PLOVER types of the events, weighted by salience (the main event's type counts most)."""
    counts: defaultdict[str, float] = defaultdict(float)
    for event in analysis.events:
        if event.type != "OTHER" and event.status != "negated":
            counts[f"y:{event.type}"] += 0.5 + (event.salience or 0.0)
    return dict(counts)


def _day(value: str | None) -> dt.date | None:
    match = _ISO_DAY.match(value or "")
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def event_day(analysis: Analysis) -> int | None:
    """The day the article's news happened, as an ordinal (see :class:`ArticleFeatures`)."""
    published = _day(analysis.article.published)
    event = main_event(analysis)
    when = _day(event.when.value) if event is not None and event.when is not None else None
    if when is not None and (published is None or 0 <= (published - when).days <= MAX_EVENT_AGE_DAYS):
        return when.toordinal()
    return published.toordinal() if published is not None else None


def extract(analysis: Analysis, dense: tuple[float, ...] = ()) -> ArticleFeatures:
    """The features of one analysis (pure; no weighting, no I/O), with its embedding if given."""
    return ArticleFeatures(
        article=analysis.article.id,
        words=words(analysis.article.title, analysis.article.text),
        title={f"t:{key[2:]}": value for key, value in words(None, analysis.article.title or "").items()},
        entities=entities(analysis),
        places=places(analysis),
        types=types(analysis),
        day=event_day(analysis),
        incident=(event := main_event(analysis)) is not None and event.type in INCIDENT_TYPES,
        dense=dense,
    )
