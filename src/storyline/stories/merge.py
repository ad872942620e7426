"""Cross-article event merge: the same real-world event reported by several articles becomes one group.

Every article's events are already merged within the article (the events stage and the title pass),
so the merge only links events of *different* articles. Two reports are the same event when they are

- type compatible: the same PLOVER type (and, for ``OTHER``, the same predicate, since ``OTHER`` only
  says that no type covers it), and not one occurred while the other is only planned or threatened;
- time compatible: their resolved dates overlap at the coarser granularity ("2019-06" contains
  "2019-06-12"), or are a day apart (time zones, "last night"); an undated report is compatible when
  the articles were published within a few days of each other;
- place compatible: the same GeoNames place (or name), one contains the other (a city in the named
  country or state), or within ~50 km; an unplaced report is compatible with any place. Two
  different places lower the score rather than veto the pair: one report's toponym may be resolved
  to a namesake (Alturas, Florida for Alturas, California) or name the state instead of the town;
- and their participants overlap (entity names), which raises the score but is not required (one
  report names the victims, another only the police).

An incompatibility on type or time is a hard "no" (score 0). Pairs are scored and grouped by
average-link agglomerative clustering with a threshold, under a cannot-link constraint: a group never
holds two events of one article.

Only salient events take part (:func:`salient_events`), so a story's timeline is not flooded by every
passing mention ("police said", a previous incident): an article's main event always, events whose
salience reaches :data:`SALIENCE_FLOOR`, and per type the first reported event with casualty
figures; at most
:data:`MAX_EVENTS_PER_ARTICLE` per article, the most salient first.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storyline.components.timex.resolve import granularity_and_interval
from storyline.model import Analysis, Event, Place, Time
from storyline.pipeline import parse_published
from storyline.titlepass import main_event

#: Events at or above this salience take part in the story besides the main event (a headline's main
#: clause alone gives 0.45, a lead event with arguments and a few mentions about 0.5). Chosen on the
#: development half of the GVA incidents (training/measure_story_merge.py): 0.5 rather than 0.4 cuts
#: the shooting's story events per incident from 2.08 to 1.73 at the same figure accuracy.
SALIENCE_FLOOR = 0.5
#: At most this many events per article (the most salient), so a long article cannot flood a story.
MAX_EVENTS_PER_ARTICLE = 4
#: Statuses of something that happened; a planned or threatened event is not the same as its outcome.
REPORTED = frozenset({"occurred", "alleged"})
#: Two pairs of coordinates within this distance place the same event ("near Milan").
NEAR_KM = 50.0
#: The place part of the score for two different places (a penalty, see :func:`place_score`).
PLACE_CONFLICT = -0.5
#: Undated reports of articles published within this many days may report the same event.
UNDATED_DAYS = 3
#: Weights of the pair score's parts (type is a gate and a base, the rest graded).
W_TYPE = 0.4
W_TIME = 0.2
W_PLACE = 0.2
W_PEOPLE = 0.2
#: Bonus when both events are their articles' main events or first counted events of their type
#: (articles of one story lead with its event; the first counted mention carries the incident's figures).
MAIN_BONUS = 0.2
#: Groups merge while their average-link score is at least this.
THRESHOLD = 0.6


@dataclass(frozen=True, slots=True)
class Report:
    """One article's event as the merge sees it, with what it needs from that article's analysis."""

    article: int
    """Index of the article in the story's analyses."""
    event: Event
    main: bool
    key: bool
    """The article's main event or its first counted event of this type (the incident's figures)."""
    published: dt.date | None
    interval: tuple[dt.datetime, dt.datetime] | None
    granularity: str | None
    place: Place | None
    names: frozenset[str]
    predicate: str


@dataclass(frozen=True, slots=True)
class Group:
    """Reports of one real-world event (indices into the reports list), at most one per article."""

    members: tuple[int, ...]


def event_interval(
    event: Event, times: Mapping[str, Time]
) -> tuple[tuple[dt.datetime, dt.datetime] | None, str | None]:
    """The event's time as an interval [start, end) and its granularity, from its TIMEX3 value."""
    if event.when is None or not event.when.value:
        return None, None
    time = times.get(event.when.time) if event.when.time else None
    granularity, interval = granularity_and_interval(event.when.value, time.type if time else "DATE")
    if interval is None:
        return None, granularity
    try:
        return (dt.datetime.fromisoformat(interval[0]), dt.datetime.fromisoformat(interval[1])), granularity
    except ValueError:
        return None, granularity


_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_STOP = frozenset(
    {"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "he", "she", "they", "it", "his", "her"}
)


def _name_keys(text: str) -> set[str]:
    """Capitalised words of a participant's name ("President Donald Trump" -> trump, donald, president)."""
    return {w.lower() for w in _WORD.findall(text) if w[0].isupper() and w.lower() not in _STOP}


def _predicate(event: Event) -> str:
    """The trigger's first word, lowercased and stripped of common inflections: OTHER events match on it."""
    words = _WORD.findall(event.trigger.text.lower())
    word = words[0] if words else event.trigger.text.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def reports_of(analyses: Sequence[Analysis]) -> list[Report]:
    """The salient events of every article (:func:`salient_events`) as :class:`Report` records."""
    reports: list[Report] = []
    for index, analysis in enumerate(analyses):
        own: list[Report] = []
        entities = {e.id: e for e in analysis.entities}
        places = {p.id: p for p in analysis.places}
        times = {t.id: t for t in analysis.times}
        main = main_event(analysis.events)
        firsts = first_counted(analysis)
        for event in salient_events(analysis):
            names: set[str] = set()
            for arg in (*event.who, *event.whom):
                entity = entities.get(arg.entity) if arg.entity else None
                if entity is not None and entity.label in ("PERSON", "ORG", "NORP", "GPE", "FAC"):
                    names |= _name_keys(entity.name)
                elif arg.span is not None:
                    names |= _name_keys(arg.text)
            interval, granularity = event_interval(event, times)
            place = places.get(event.where.place) if event.where and event.where.place else None
            own.append(
                Report(
                    article=index,
                    event=event,
                    main=main is not None and event.id == main.id,
                    key=(main is not None and event.id == main.id) or event.id in firsts,
                    published=parse_published(analysis.article.published),
                    interval=interval,
                    granularity=granularity,
                    place=place,
                    names=frozenset(names),
                    predicate=_predicate(event),
                )
            )
        reports.extend(r for r in own if r.key or not _restates(r, own))
    return reports


def _text_order(event: Event) -> tuple[bool, int]:
    """Headline first (an event found in the title), then body offset."""
    return (event.trigger.field != "title", event.trigger.start)


def _restates(report: Report, own: Sequence[Report]) -> bool:
    """A non-key event that restates its article's key event of the same type (compatible time and
    place): the events stage left two mentions of one shooting apart ("the shooting", "was killed").
    It would be a second, figure-less copy of the event on the timeline, so the story leaves it out."""
    for key in own:
        same = key.key and key.event.type == report.event.type and key.event.id != report.event.id
        if same and time_score(key, report) is not None and place_score(key, report) > 0:
            return True
    return False


def first_counted(analysis: Analysis) -> set[str]:
    """Ids of the first reported event with casualty figures of each type, in text order."""
    seen: set[str] = set()
    ids: set[str] = set()
    for event in sorted(analysis.events, key=_text_order):
        if _counted(event) and event.type not in seen:
            seen.add(event.type)
            ids.add(event.id)
    return ids


def salient_events(analysis: Analysis) -> list[Event]:
    """The events an article contributes to its story, most salient first.

    The main event always; then, per type, the first reported event with casualty figures (the one
    whose figures are the incident's totals: the events stage completes the first counted mention
    from later ones, so later counted mentions of the same type are mostly restatements) and events
    at or above :data:`SALIENCE_FLOOR`; at most :data:`MAX_EVENTS_PER_ARTICLE`. Negated and
    hypothetical events never take part.
    """
    main = main_event(analysis.events)
    counted_types: set[str] = set() if main is None or not _counted(main) else {main.type}
    pool: list[Event] = []
    for event in sorted(analysis.events, key=_text_order):
        if main is not None and event.id == main.id:
            continue
        if event.status in ("negated", "hypothetical"):
            continue
        first_counted = _counted(event) and event.type not in counted_types
        if first_counted:
            counted_types.add(event.type)
        if first_counted or (event.salience or 0.0) >= SALIENCE_FLOOR:
            pool.append(event)
    pool.sort(key=lambda e: (-(e.salience or 0.0), -e.confidence))
    chosen = ([main] if main is not None else []) + pool
    return chosen[:MAX_EVENTS_PER_ARTICLE]


def _counted(event: Event) -> bool:
    return event.status in REPORTED and (event.killed is not None or event.injured is not None)


def _km(a: Place, b: Place) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _contains(outer: Place, inner: Place) -> bool:
    """A country or state named as the place of an event contains a city in it.

    The places stage sets ``admin1`` on cities and states only (a state's is its own name), so a
    place with a country and no ``admin1`` is a country.
    """
    if outer.country is None or outer.country != inner.country:
        return False
    if outer.admin1 is None:
        return True
    return outer.admin1 == outer.name and inner.admin1 == outer.name


def place_score(a: Report, b: Report) -> float:
    """1 same place (or name), 0.8 one contains the other or near, 0.5 unknown, :data:`PLACE_CONFLICT`
    for two different places: a penalty, not a veto, since one report's place may be mis-resolved
    ("Alturas" in Florida rather than California) or name the state rather than the town."""
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        if a.event.where and b.event.where and a.event.where.name.lower() == b.event.where.name.lower():
            return 1.0
        return 0.5
    if pa.geonameid is not None and pa.geonameid == pb.geonameid:
        return 1.0
    if pa.name.lower() == pb.name.lower():
        return 1.0
    km = _km(pa, pb)
    if km is not None and km <= NEAR_KM:
        return 0.8
    if _contains(pa, pb) or _contains(pb, pa):
        return 0.8
    return PLACE_CONFLICT


def _days(interval: tuple[dt.datetime, dt.datetime]) -> tuple[dt.datetime, dt.datetime]:
    """An interval widened to whole days: reports of one event disagree on the hour ("Sunday night",
    "about 3 a.m.", a page's time stamp read as the event's), rarely on the day."""
    start = dt.datetime.combine(interval[0].date(), dt.time())
    end = dt.datetime.combine(interval[1].date(), dt.time())
    if end < interval[1]:
        end += dt.timedelta(days=1)
    return start, end


def time_score(a: Report, b: Report) -> float | None:
    """1 overlapping intervals, 0.7 a day apart, 0.5 undated but published within
    :data:`UNDATED_DAYS` (and the dated one not after the undated one's publication); None: apart."""
    if a.interval is not None and b.interval is not None:
        (s1, e1), (s2, e2) = _days(a.interval), _days(b.interval)
        if s1 < e2 and s2 < e1:
            return 1.0
        gap = max(s1, s2) - min(e1, e2)
        return 0.7 if gap <= dt.timedelta(days=1) else None
    if a.published is not None and b.published is not None:
        days = abs((a.published - b.published).days)
        if a.interval is not None or b.interval is not None:
            # the dated one must not be after the undated one's article was published
            dated = a if a.interval is not None else b
            other = b if dated is a else a
            assert dated.interval is not None and other.published is not None
            if dated.interval[0].date() > other.published + dt.timedelta(days=1):
                return None
        return 0.5 if days <= UNDATED_DAYS else None
    return 0.5


def type_compatible(a: Report, b: Report) -> bool:
    if a.event.type != b.event.type:
        return False
    if a.event.type == "OTHER" and a.predicate != b.predicate:
        return False
    done_a, done_b = a.event.status in REPORTED, b.event.status in REPORTED
    return done_a == done_b


def people_score(a: Report, b: Report) -> float:
    """Overlap of participants' names (Jaccard, counted fully from two shared words); 0.5 if unknown."""
    if not a.names or not b.names:
        return 0.5
    shared = len(a.names & b.names)
    return min(1.0, shared / 2) if shared else 0.0


def pair_score(a: Report, b: Report) -> float:
    """How likely two reports of different articles are one event, in [0, 1]; 0 when incompatible."""
    if a.article == b.article or not type_compatible(a, b):
        return 0.0
    time = time_score(a, b)
    if time is None:
        return 0.0
    score = W_TYPE + W_TIME * time + W_PLACE * place_score(a, b) + W_PEOPLE * people_score(a, b)
    if a.key and b.key:
        score += MAIN_BONUS
    return min(1.0, score)


def _bucket(report: Report) -> tuple[str, str, bool]:
    """Reports of different buckets are never type compatible (:func:`type_compatible`)."""
    event = report.event
    return (event.type, report.predicate if event.type == "OTHER" else "", event.status in REPORTED)


def group(reports: Sequence[Report], threshold: float = THRESHOLD) -> list[Group]:
    """Average-link agglomerative clustering of the reports, never two of one article in a group.

    A merge that would join two groups with any incompatible pair (score 0) is refused outright
    (complete linkage on the hard constraints), so a story's two different shootings on two days
    never fuse through a third report. Reports are clustered per type bucket (only type-compatible
    reports can merge), with the linkage sums kept up to date as groups merge, so a story of a
    hundred articles builds in well under a second. Groups come out in order of their first report.
    """
    buckets: dict[tuple[str, str, bool], list[int]] = {}
    for index, report in enumerate(reports):
        buckets.setdefault(_bucket(report), []).append(index)
    out: list[list[int]] = []
    for members in buckets.values():
        out.extend(_agglomerate(reports, members, threshold))
    return [Group(tuple(g)) for g in sorted(out, key=lambda g: g[0])]


def _agglomerate(reports: Sequence[Report], members: Sequence[int], threshold: float) -> list[list[int]]:
    n = len(members)
    groups: dict[int, list[int]] = {k: [members[k]] for k in range(n)}
    articles: dict[int, set[int]] = {k: {reports[members[k]].article} for k in range(n)}
    # linkage[x][y]: sum of pair scores between groups x and y, or None when a pair is incompatible
    linkage: dict[int, dict[int, float | None]] = {k: {} for k in range(n)}
    for x in range(n):
        for y in range(x + 1, n):
            score = pair_score(reports[members[x]], reports[members[y]])
            linkage[x][y] = linkage[y][x] = score if score > 0.0 else None
    while True:
        best: tuple[float, int, int] | None = None
        for x, row in linkage.items():
            for y, total in row.items():
                if y <= x or total is None or articles[x] & articles[y]:
                    continue
                average = total / (len(groups[x]) * len(groups[y]))
                if average >= threshold and (best is None or average > best[0]):
                    best = (average, x, y)
        if best is None:
            break
        _, x, y = best
        groups[x] = sorted(groups[x] + groups.pop(y))
        articles[x] |= articles.pop(y)
        row_y = linkage.pop(y)
        row_x = linkage[x]
        for z, row_z in linkage.items():
            if z == x:
                continue
            a, b = row_x.get(z), row_y.get(z)
            merged = None if a is None or b is None else a + b
            row_x[z] = row_z[x] = merged
            row_z.pop(y, None)
        linkage[x].pop(y, None)
    return list(groups.values())


__all__ = [
    "Group",
    "Report",
    "event_interval",
    "group",
    "pair_score",
    "reports_of",
    "salient_events",
]
