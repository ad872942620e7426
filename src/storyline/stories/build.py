"""One story's articles -> a ``storyline.story/1`` record: merged events, timeline, figures, brief.

:func:`build_story` is a pure function of the story's analyses (no I/O, no model): the store and the
CLI call it whenever a story gains an article, and the result only depends on its inputs, so it can
be rebuilt at any time.

- Events: the articles' salient events merged across articles (:mod:`storyline.stories.merge`); each
  story event lists every report (article, its own event id, figures, claims, source, date).
- Figures (:class:`Figure`): ``latest`` is the value of the most recently published report that gives
  one (a death toll rises as reports come in), ``low``/``high`` the range over every report, and
  ``sources`` how many reports gave one; each report's own Quantity stays in ``reports``.
- Timeline: events in order of *event* time (their TIMEX3 value, not the article's publication);
  undated events last, in order of first publication.
- Brief: :func:`storyline.stories.brief.brief`.
- Title: the title of the most central article (highest assignment score; the earliest of equals),
  else the main event's label.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storyline.components.events import figure
from storyline.model import (
    Analysis,
    EventPlace,
    EventStatus,
    Figure,
    Quantity,
    SourceReport,
    Story,
    StoryArticle,
    StoryEvent,
)
from storyline.stories.brief import brief
from storyline.stories.merge import Group, Report, group, reports_of

#: A granularity's rank: finer is more precise (a day beats a month when the sources agree).
_FINENESS = {
    "minute": 7,
    "hour": 6,
    "part_of_day": 5,
    "day": 4,
    "weekend": 3,
    "week": 3,
    "month": 2,
    "season": 1,
    "quarter": 1,
    "year": 0,
}


def _order(analyses: Sequence[Analysis]) -> list[int]:
    """Article indices by publication (undated last), then id: the story does not depend on input order."""
    return sorted(
        range(len(analyses)),
        key=lambda i: (
            analyses[i].article.published is None,
            analyses[i].article.published or "",
            analyses[i].article.id,
        ),
    )


def combine(quantities: Sequence[tuple[str | None, int, Quantity | None]]) -> Figure | None:
    """A figure across reports given as (published, input order, quantity): latest, range and count.

    ``latest`` comes from the most recently published report with an exact value (the later of
    equals in input order, the higher value on the same publication); a bound alone ("dozens",
    "victims": low 2) is the latest only when no report gives an exact value, since a vague
    restatement is no revision of a count. None when no report gives a figure.
    """
    given = [
        (q.value is not None, published or "", order, value)
        for published, order, q in quantities
        if q is not None and (value := figure(q)) is not None
    ]
    if not given:
        return None
    latest = max(given, key=lambda g: (g[0], g[1], g[3], g[2]))[3]
    values = [g[3] for g in given]
    return Figure(latest=latest, low=min(values), high=max(values), sources=len(given))


def _when(reports: Sequence[Report]) -> tuple[str | None, str | None, dt.datetime | None]:
    """The event time the reports agree on: the value supported by the most reports (their intervals
    overlap it), the finest of equals; with its granularity and start (for the timeline)."""
    dated = [r for r in reports if r.interval is not None and r.event.when and r.event.when.value]
    if not dated:
        return None, None, None

    def support(r: Report) -> int:
        assert r.interval is not None
        s, e = r.interval
        return sum(1 for o in dated if o.interval is not None and o.interval[0] < e and s < o.interval[1])

    best = max(dated, key=lambda r: (support(r), _FINENESS.get(r.granularity or "", -1), -(r.article)))
    assert best.event.when is not None and best.interval is not None
    return best.event.when.value, best.granularity, best.interval[0]


def _where(reports: Sequence[Report]) -> EventPlace | None:
    """The place most reports give (a city over a country on ties), from the most salient of them."""
    placed = [r for r in reports if r.event.where is not None]
    if not placed:
        return None

    def key(r: Report) -> str:
        assert r.event.where is not None
        if r.place is not None and r.place.geonameid is not None:
            return str(r.place.geonameid)
        return r.event.where.name.lower()

    votes = Counter(key(r) for r in placed)

    def rank(r: Report) -> tuple[int, bool, float]:
        specific = r.place is not None and r.place.admin1 is not None and r.place.admin1 != r.place.name
        return (votes[key(r)], specific, r.event.salience or 0.0)

    chosen = max(placed, key=rank).event.where
    assert chosen is not None
    # an EventPlace's place id is local to its article: the story keeps the name and coordinates
    return chosen.model_copy(update={"place": None, "span": None})


def _status(reports: Sequence[Report]) -> EventStatus:
    statuses = [r.event.status for r in reports]
    if "occurred" in statuses:
        return "occurred"
    return Counter(statuses).most_common(1)[0][0]


def _event_id(story_id: str, first: Report, analyses: Sequence[Analysis]) -> str:
    """Stable while the story grows: a hash of the story's id and its first report's event."""
    key = f"{story_id}:{analyses[first.article].article.id}:{first.event.id}"
    return "v" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True, slots=True)
class Built:
    """A story event with its timeline keys: the start of its time and its first publication."""

    event: StoryEvent
    start: dt.datetime | None
    first_published: str


def story_event(story_id: str, members: Sequence[Report], analyses: Sequence[Analysis]) -> Built:
    """One group of reports -> a StoryEvent, with its timeline keys."""
    ordered = sorted(members, key=lambda r: (analyses[r.article].article.published or "", r.article))
    lead = max(members, key=lambda r: (r.main, r.event.salience or 0.0, r.event.confidence))
    when, granularity, start = _when(members)
    modes = Counter(r.event.mode for r in members if r.event.mode)
    reports = [
        SourceReport(
            article=analyses[r.article].article.id,
            event=r.event.id,
            source=analyses[r.article].article.source,
            published=analyses[r.article].article.published,
            killed=r.event.killed,
            injured=r.event.injured,
            claims=list(r.event.claims),
        )
        for r in ordered
    ]
    confidence = 1.0
    for r in members:
        confidence *= 1.0 - r.event.confidence
    label = (lead.event.what or lead.event.trigger).text
    event = StoryEvent(
        id=_event_id(story_id, ordered[0], analyses),
        type=lead.event.type,
        mode=modes.most_common(1)[0][0] if modes else None,
        status=_status(members),
        label=label,
        when=when,
        granularity=granularity,
        where=_where(members),
        killed=combine([(analyses[r.article].article.published, r.article, r.event.killed) for r in members]),
        injured=combine(
            [(analyses[r.article].article.published, r.article, r.event.injured) for r in members]
        ),
        reports=reports,
        confidence=round(min(0.99, 1.0 - confidence), 4),
    )
    return Built(event, start, analyses[ordered[0].article].article.published or "")


def main_story_event(events: Sequence[StoryEvent], weights: Mapping[str, float]) -> StoryEvent | None:
    """The story's main event: the one most articles report, the most salient of equals."""
    if not events:
        return None
    return max(events, key=lambda e: (len(e.reports), weights.get(e.id, 0.0)))


def build_story(story_id: str, analyses: Sequence[Analysis], scores: Mapping[str, float]) -> Story:
    """A story record from its articles' analyses; ``scores`` maps article id -> assignment score.

    Pure: the same analyses (in any order) and scores give the same story.
    """
    order = _order(analyses)
    analyses = [analyses[i] for i in order]
    reports = reports_of(analyses)
    groups: list[Group] = group(reports)
    built = [story_event(story_id, [reports[i] for i in g.members], analyses) for g in groups]
    weights = {
        b.event.id: sum(reports[i].event.salience or 0.0 for i in g.members)
        for b, g in zip(built, groups, strict=True)
    }
    # the timeline: event time (the interval's start), undated last by first publication
    built.sort(
        key=lambda b: (
            b.start is None,
            b.start or dt.datetime.min,
            b.first_published,
            -len(b.event.reports),
            b.event.id,
        )
    )
    events = [b.event for b in built]
    articles = [
        StoryArticle(
            article=a.article.id,
            score=min(1.0, max(0.0, float(scores.get(a.article.id, 1.0)))),
            title=a.article.title,
            published=a.article.published,
            source=a.article.source,
        )
        for a in analyses
    ]
    main = main_story_event(events, weights)
    central = max(range(len(articles)), key=lambda i: (articles[i].score, -i)) if articles else None
    title = articles[central].title if central is not None else None
    if not title and main is not None:
        title = main.label
    return Story(
        id=story_id,
        title=title,
        articles=articles,
        events=events,
        brief=brief(analyses, events, main),
    )


__all__ = ["Built", "build_story", "combine", "main_story_event", "story_event"]
